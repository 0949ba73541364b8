package dev.itembank.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling priority (Linux niceness, inherited by the threads it starts), so that
 * job computations use the CPU that requests leave idle: a running calibration then barely moves estimate
 * latencies. Java has no API for it; on Linux the thread's id comes from {@code /proc/thread-self} and
 * {@code renice} sets it (raising niceness needs no privilege). Elsewhere, or without renice, nothing changes.
 */
final class BackgroundPriority {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);

    private BackgroundPriority() {
    }

    /** Applies niceness {@code nice} (1..19) to the current thread; 0 leaves it alone. Returns whether it applied. */
    static boolean apply(int nice) {
        if (nice <= 0) {
            return false;
        }
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(self).toString(); // <pid>/task/<tid>
            String tid = target.substring(target.lastIndexOf('/') + 1);
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean done = renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0;
            if (!done) {
                log.debug("renice of job thread {} did not succeed", tid);
            }
            return done;
        } catch (java.io.IOException | RuntimeException e) {
            log.debug("Could not lower the priority of a job thread: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
