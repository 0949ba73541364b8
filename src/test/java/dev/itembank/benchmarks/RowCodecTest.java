package dev.itembank.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RowCodecTest {

    @Test
    void binaryRowsTakeAboutOneBitPerCellAndDecodeToTheSameCells() {
        double[] cells = randomCells(new SplittableRandom(1), 28_659, true, 0.0);
        PackedRow row = PackedRow.of(cells, cells.length);
        RowCodec.Encoded encoded = RowCodec.encode(row);
        assertThat(encoded.encoding()).isEqualTo(RowCodec.BINARY);
        assertThat(encoded.present()).as("all present: no presence bitmap").isEmpty();
        assertThat(encoded.cells().length).isLessThanOrEqualTo(28_659 / 8 + 8);
        PackedRow decoded = RowCodec.decode(encoded.encoding(), encoded.width(), encoded.present(), encoded.cells());
        assertThat(decoded).isEqualTo(row);
        for (int c = 0; c < cells.length; c++) {
            assertThat(decoded.value(c)).isEqualTo(cells[c]);
        }
    }

    @Test
    void continuousRowsWithMissingCellsKeepFloatPrecision() {
        double[] cells = randomCells(new SplittableRandom(2), 1_000, false, 0.2);
        PackedRow row = PackedRow.of(cells, cells.length);
        RowCodec.Encoded encoded = RowCodec.encode(row);
        assertThat(encoded.encoding()).isEqualTo(RowCodec.FLOAT32);
        PackedRow decoded = RowCodec.decode(encoded.encoding(), encoded.width(), encoded.present(), encoded.cells());
        for (int c = 0; c < cells.length; c++) {
            if (Double.isNaN(cells[c])) {
                assertThat(decoded.has(c)).isFalse();
            } else {
                assertThat(decoded.value(c)).isCloseTo(cells[c], org.assertj.core.api.Assertions.within(6e-8));
            }
        }
        assertThat(decoded.answered()).isEqualTo((int) Arrays.stream(cells).filter(v -> !Double.isNaN(v)).count());
    }

    @Test
    void remappingMovesEveryCellToItsOrdinal() {
        double[] cells = {1, 0, Double.NaN, 1};
        PackedRow row = PackedRow.of(cells, 4).remap(new int[] {70, 3, 5, 0}, 71);
        assertThat(row.width).isEqualTo(71);
        assertThat(row.value(70)).isEqualTo(1.0);
        assertThat(row.value(3)).isEqualTo(0.0);
        assertThat(row.has(5)).isFalse();
        assertThat(row.value(0)).isEqualTo(1.0);
        assertThat(row.answered()).isEqualTo(3);
        assertThat(row.mean()).isEqualTo(2.0 / 3.0);
    }

    @Test
    void equalRowsHashEquallyAndDifferentRowsDo() {
        PackedRow a = PackedRow.of(new double[] {1, 0, 1}, 3);
        PackedRow b = PackedRow.of(new double[] {1, 0, 1}, 3);
        PackedRow c = PackedRow.of(new double[] {1, 1, 1}, 3);
        assertThat(RowCodec.encode(a).contentHash()).isEqualTo(RowCodec.encode(b).contentHash());
        assertThat(RowCodec.encode(a).contentHash()).isNotEqualTo(RowCodec.encode(c).contentHash());
    }

    @Test
    void decimalsReadBackToTheStoredFloat() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            float score = (float) random.nextDouble();
            String text = MatrixCsv.decimal(score);
            assertThat(text).doesNotContain("E");
            assertThat(Float.parseFloat(text)).isEqualTo(score);
        }
        assertThat(MatrixCsv.decimal(1e-6f)).isEqualTo("0.000001");
        assertThat(MatrixCsv.decimal(0.732832f)).isEqualTo("0.732832");
    }

    private static double[] randomCells(SplittableRandom random, int width, boolean binary, double missing) {
        double[] cells = new double[width];
        for (int c = 0; c < width; c++) {
            if (random.nextDouble() < missing) {
                cells[c] = Double.NaN;
            } else {
                cells[c] = binary ? random.nextInt(2) : random.nextDouble();
            }
        }
        return cells;
    }
}
