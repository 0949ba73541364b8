package dev.itembank.benchmarks;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jakarta.servlet.http.Part;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;

/**
 * The files of an lm-evaluation-harness output folder as they arrive: a {@code .tar.gz} or {@code .zip} of the
 * folder, or the parts of a multipart request (each part a file, its file name giving the path). Directories,
 * macOS resource forks and hidden files are skipped; each file is handed over as a stream, never unpacked to disk.
 */
final class LmEvalArchive {

    /** What to do with one file: its path inside the archive and its content (read before the next file). */
    interface FileHandler {
        void accept(String path, InputStream content) throws IOException;
    }

    enum Format {
        TAR_GZ, ZIP
    }

    private LmEvalArchive() {
    }

    static void read(InputStream body, Format format, long maxBytes, FileHandler handler) throws IOException {
        ArchiveInputStream<? extends ArchiveEntry> archive;
        try {
            archive = format == Format.TAR_GZ
                    ? new TarArchiveInputStream(UploadBody.limit(new GZIPInputStream(body, 1 << 16), maxBytes))
                    : new ZipArchiveInputStream(UploadBody.limit(body, maxBytes));
        } catch (ZipException | java.io.EOFException e) {
            throw notAnArchive(format, e);
        }
        // the files' decompressed bytes count against the limit too, all files together (a zip bomb is a 413)
        InputStream files = UploadBody.limit(new Unclosable(archive), maxBytes);
        try {
            for (ArchiveEntry entry = archive.getNextEntry(); entry != null; entry = archive.getNextEntry()) {
                if (entry.isDirectory() || skipped(entry.getName())) {
                    continue;
                }
                handler.accept(entry.getName(), new Unclosable(files));
            }
        } catch (IOException e) {
            throw notAnArchive(format, e); // a damaged or cut-off archive: the readers say so with an IOException
        }
    }

    /** The files of a multipart request, in order; a part without a file name is a form field and skipped. */
    static void read(Collection<Part> parts, FileHandler handler) throws IOException {
        for (Part part : parts) {
            String name = part.getSubmittedFileName();
            if (name == null || name.isBlank() || skipped(name)) {
                continue;
            }
            try (InputStream content = part.getInputStream()) {
                handler.accept(name, content);
            }
        }
    }

    private static boolean skipped(String path) {
        String normalized = path.replace('\\', '/');
        String base = normalized.substring(normalized.lastIndexOf('/') + 1);
        return normalized.startsWith("__MACOSX/") || normalized.contains("/__MACOSX/") || base.startsWith(".");
    }

    private static ApiException notAnArchive(Format format, IOException e) {
        return new ApiException(ProblemType.MALFORMED_REQUEST, "the body is not a complete "
                + (format == Format.TAR_GZ ? "gzip-compressed tar archive (.tar.gz)" : "zip archive") + " ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); nothing was written");
    }

    /** An entry's stream: a handler that closes it does not close the archive. */
    private static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
