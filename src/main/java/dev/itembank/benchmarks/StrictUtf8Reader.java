package dev.itembank.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 text that refuses bytes that are not UTF-8 instead of replacing them with U+FFFD (two different names
 * must never become one), naming the line and column of the first bad byte. A leading byte-order mark, as
 * spreadsheets write, is skipped. Line and column count the characters this reader has delivered, so they are
 * exact whatever buffering its reader does.
 */
final class StrictUtf8Reader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
    private boolean endOfInput;
    private boolean flushed;
    private boolean started;
    private CoderResult pendingError;
    private long line = 1;
    private int column = 1;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(length, chars.remaining());
        chars.get(buffer, offset, n);
        for (int i = offset; i < offset + n; i++) {
            if (buffer[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return n;
    }

    /** Decodes the next characters; false at the end of the text. */
    private boolean fill() throws IOException {
        if (pendingError != null) {
            throw malformed();
        }
        if (flushed) {
            return false; // everything was decoded and delivered
        }
        chars.clear();
        try {
            while (chars.position() == 0) {
                CoderResult result = decoder.decode(bytes, chars, endOfInput);
                if (result.isError()) {
                    if (chars.position() == 0) {
                        throw malformed();
                    }
                    pendingError = result;
                    break;
                }
                if (result.isOverflow()) {
                    break;
                }
                if (endOfInput) {
                    decoder.flush(chars);
                    flushed = true;
                    break;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        } finally {
            chars.flip();
        }
        if (!started && chars.hasRemaining()) {
            started = true;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
        return chars.hasRemaining() || fill(); // only a byte-order mark was decoded: go on
    }

    private RuntimeException malformed() {
        return UploadProblem.at("the text is not valid UTF-8 (a byte sequence no UTF-8 text holds; save the file "
                + "as UTF-8)", new UploadProblem.Where(line, column, null, null));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
