package dev.itembank.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An lm-evaluation-harness output folder as the {@code .tar.gz} the service takes: its results and samples files
 * (other files are left out), with paths relative to the folder.
 */
public final class FolderArchive {

    private FolderArchive() {
    }

    /** The harness files under {@code folder}, in path order; an error when there are none. */
    static List<Path> harnessFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a directory");
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(path -> {
                String name = path.getFileName().toString();
                return name.startsWith("results_") && name.endsWith(".json")
                        || name.startsWith("samples_") && name.endsWith(".jsonl");
            }).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException(folder + " holds no lm-eval results_*.json or samples_*.jsonl files (run "
                        + "lm_eval with --output_path and --log_samples)");
            }
            return files;
        }
    }

    /** The folder's harness files as a gzip-compressed tar archive. */
    public static byte[] tarGz(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(folder, bytes);
        return bytes.toByteArray();
    }

    static void write(Path folder, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out, 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path file : harnessFiles(folder)) {
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(),
                        folder.relativize(file).toString().replace('\\', '/'));
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
