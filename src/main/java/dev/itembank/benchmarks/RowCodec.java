package dev.itembank.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The stored form of a {@link PackedRow} (see the {@code model_row} table): encoding 1 = binary, 2 = float32;
 * {@code present} is a little-endian bitmap, empty when every cell is present; {@code cells} is a bitmap
 * (binary) or big-endian IEEE 754 binary32 values (float32). PostgreSQL compresses both further (TOAST).
 */
final class RowCodec {

    static final short BINARY = 1;
    static final short FLOAT32 = 2;
    private static final byte[] EMPTY = new byte[0];

    private RowCodec() {
    }

    record Encoded(short encoding, int width, byte[] present, byte[] cells, byte[] contentHash) {
    }

    static Encoded encode(PackedRow row) {
        byte[] present = row.allPresent() ? EMPTY : toBytes(row.present);
        byte[] cells;
        if (row.isBinary()) {
            cells = toBytes(row.ones);
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(row.width * 4).order(ByteOrder.BIG_ENDIAN);
            buffer.asFloatBuffer().put(row.scores);
            cells = buffer.array();
        }
        short encoding = row.isBinary() ? BINARY : FLOAT32;
        return new Encoded(encoding, row.width, present, cells, hash(encoding, row.width, present, cells));
    }

    static PackedRow decode(short encoding, int width, byte[] present, byte[] cells) {
        int words = PackedRow.words(width);
        long[] presentWords = present.length == 0 ? allPresent(width) : toWords(present, words);
        if (encoding == BINARY) {
            return new PackedRow(width, presentWords, toWords(cells, words), null);
        }
        if (encoding != FLOAT32) {
            throw new IllegalStateException("unknown row encoding " + encoding);
        }
        float[] scores = new float[width];
        ByteBuffer.wrap(cells).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(scores);
        return new PackedRow(width, presentWords, null, scores);
    }

    private static long[] allPresent(int width) {
        long[] words = new long[PackedRow.words(width)];
        for (int c = 0; c < width; c++) {
            words[c >>> 6] |= 1L << c;
        }
        return words;
    }

    private static byte[] toBytes(long[] words) {
        ByteBuffer buffer = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(words);
        return buffer.array();
    }

    private static long[] toWords(byte[] bytes, int words) {
        long[] result = new long[words];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(result, 0,
                Math.min(words, bytes.length / 8));
        return result;
    }

    static byte[] hash(short encoding, int width, byte[] present, byte[] cells) {
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(6).putShort(encoding).putInt(width).array());
        digest.update(present);
        digest.update(cells);
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
