package dev.itembank.benchmarks;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
                return new Limited(new GZIPInputStream(body, 64 * 1024), max);
            } catch (ZipException e) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST,
                        "Content-Encoding is gzip but the body is not gzip data: " + e.getMessage());
            }
        }
        throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding '" + encoding
                + "' is not supported; send the body uncompressed or with Content-Encoding: gzip",
                Map.of("supportedEncodings", java.util.List.of("gzip", "identity")));
    }

    /** UTF-8 text, with a leading byte-order mark (as spreadsheets write) skipped. */
    static Reader reader(InputStream body) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    static ApiException tooLarge(long max) {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the maximum of "
                + DataSize.ofBytes(max).toMegabytes() + " MB (itembank.uploads.max-size); nothing was written",
                Map.of("maxBytes", max));
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

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
