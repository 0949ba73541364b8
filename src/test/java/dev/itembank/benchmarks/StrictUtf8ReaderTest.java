package dev.itembank.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import dev.itembank.api.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictUtf8ReaderTest {

    @Property(tries = 200)
    void anyUtf8TextReadsBackExactlyInAnyChunkSizeAndEndsOnce(@ForAll String text,
            @ForAll @IntRange(min = 1, max = 70_000) int chunk) throws IOException {
        String padded = "ä".repeat(chunk % 40_000) + text; // pushes multi-byte characters across buffer ends
        Reader reader = new StrictUtf8Reader(new ByteArrayInputStream(padded.getBytes(StandardCharsets.UTF_8)));
        StringBuilder read = new StringBuilder();
        char[] buffer = new char[chunk];
        for (int n = reader.read(buffer, 0, chunk); n >= 0; n = reader.read(buffer, 0, chunk)) {
            read.append(buffer, 0, n);
        }
        assertThat(reader.read()).isEqualTo(-1);
        assertThat(read.toString()).isEqualTo(padded.startsWith("\uFEFF") ? padded.substring(1) : padded);
    }

    @Test
    void aByteThatIsNotUtf8IsNamedByLineAndColumn() {
        byte[] bytes = "a,b\nxy\u00e9z\n".getBytes(StandardCharsets.ISO_8859_1);
        Reader reader = new StrictUtf8Reader(new ByteArrayInputStream(bytes));
        assertThatThrownBy(() -> {
            char[] buffer = new char[3];
            while (reader.read(buffer, 0, 3) >= 0) {
                // read on until the bad byte
            }
        }).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.properties())
                .containsEntry("line", 2L).containsEntry("column", 3));
    }

    @Test
    void aTruncatedSequenceAtTheEndIsRefused() {
        byte[] bytes = {'o', 'k', (byte) 0xe2, (byte) 0x82};
        Reader reader = new StrictUtf8Reader(new ByteArrayInputStream(bytes));
        char[] buffer = new char[10];
        assertThatThrownBy(() -> {
            while (reader.read(buffer, 0, 10) >= 0) {
                // the characters before it are delivered first
            }
        }).isInstanceOf(ApiException.class);
    }
}
