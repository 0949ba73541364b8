package dev.itembank.benchmarks;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.OutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jakarta.servlet.http.HttpServletRequest;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import org.springframework.util.unit.DataSize;

/**
 * An upload's body as a stream: gunzipped when {@code Content-Encoding: gzip}, and cut off with a 413 once it
 * passes the configured maximum (counted both before and after decompression, so a small gzip bomb is refused).
 */
final class UploadBody {

    /** The most text one line of samples, or one CSV or JSON value, may hold: 8 Mi characters. */
    static final int MAX_TEXT_CHARS = 8 * 1024 * 1024;

    private UploadBody() {
    }

    static InputStream open(HttpServletRequest request, DataSize maxSize) throws IOException {
        long max = maxSize.toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        InputStream body = new Limited(request.getInputStream(), max);
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        String normalized = encoding.strip().toLowerCase(Locale.ROOT);
        if (normalized.equals("gzip") || normalized.equals("x-gzip")) {
            try {
                return new Limited(new GzipErrors(new GZIPInputStream(body, 64 * 1024)), max);
            } catch (ZipException | EOFException e) {
                throw badGzip(e);
            }
        }
        throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding '" + encoding
                + "' is not supported; send the body uncompressed or with Content-Encoding: gzip",
                Map.of("supportedEncodings", java.util.List.of("gzip", "identity")));
    }

    /** {@code in}, cut off with a 413 once more than {@code max} bytes have been read from it (decompressed data). */
    static InputStream limit(InputStream in, long max) {
        return new Limited(in, max);
    }

    /** UTF-8 text, refused where it is not UTF-8, with a leading byte-order mark (as spreadsheets write) skipped. */
    static BufferedReader reader(InputStream body) {
        return new BufferedReader(new StrictUtf8Reader(body), 1 << 16);
    }

    /**
     * Reads what a parser left unread (a gzip body's trailer, whose checksum is checked only once it is read), so
     * that a body is accepted only when it arrived whole.
     */
    static void finish(InputStream body) throws IOException {
        if (body instanceof Limited limited && limited.closed) {
            return; // a parser that closes its input has read it to the end
        }
        body.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * The next line (without its line break), or null at the end; a line longer than {@link #MAX_TEXT_CHARS} is a
     * 413 before it is held in memory whole.
     */
    static String line(BufferedReader reader, long lineNumber) throws IOException {
        StringBuilder text = new StringBuilder();
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        for (; c >= 0 && c != '\n'; c = reader.read()) {
            if (text.length() >= MAX_TEXT_CHARS) {
                throw textTooLong("line " + lineNumber);
            }
            text.append((char) c);
        }
        int end = text.length();
        return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
    }

    /** A 413 for one line or field over {@link #MAX_TEXT_CHARS}. */
    static ApiException textTooLong(String where) {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "The " + where + " holds more than "
                + MAX_TEXT_CHARS / (1024 * 1024) + " MiB of text, the most one line or field may hold; nothing was "
                + "written", Map.of("maxChars", MAX_TEXT_CHARS));
    }

    /** The Jackson limits of every upload parser: no single value longer than {@link #MAX_TEXT_CHARS}. */
    static tools.jackson.core.StreamReadConstraints constraints() {
        return tools.jackson.core.StreamReadConstraints.builder().maxStringLength(MAX_TEXT_CHARS)
                .maxNameLength(MAX_TEXT_CHARS).build();
    }

    private static ApiException badGzip(IOException e) {
        return new ApiException(ProblemType.MALFORMED_REQUEST, "Content-Encoding is gzip but the body is empty, "
                + "truncated or not gzip data (" + (e instanceof EOFException ? "it ends too early"
                : String.valueOf(e.getMessage())) + "); nothing was written");
    }

    static ApiException tooLarge(long max) {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the maximum of "
                + DataSize.ofBytes(max).toMegabytes() + " MB (itembank.uploads.max-size); nothing was written",
                Map.of("maxBytes", max));
    }

    /** A gzip stream whose corrupt or cut-off data is a 400 problem rather than an I/O error. */
    private static final class GzipErrors extends FilterInputStream {

        GzipErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw badGzip(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw badGzip(e);
            }
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;
        private boolean closed;

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > max) {
                throw tooLarge(max);
            }
        }
    }
}
