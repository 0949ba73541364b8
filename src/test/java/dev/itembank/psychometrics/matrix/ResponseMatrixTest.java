package dev.itembank.psychometrics.matrix;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResponseMatrixTest {

    @Test
    void binaryCellsReadBackWithMissingOnesAsNaN() {
        ResponseMatrix matrix = ResponseMatrix.binary(2, 130)
                .set(0, 0, 1).set(0, 129, 0).set(1, 64, 1).set(1, 65, Double.NaN)
                .build();
        assertThat(matrix.get(0, 0)).isEqualTo(1.0);
        assertThat(matrix.get(0, 129)).isEqualTo(0.0);
        assertThat(matrix.get(0, 1)).isNaN();
        assertThat(matrix.get(1, 64)).isEqualTo(1.0);
        assertThat(matrix.isObserved(1, 65)).isFalse();
        assertThat(matrix.answered(0)).isEqualTo(2);
        assertThat(matrix.rowMean(0)).isEqualTo(0.5);
        assertThat(matrix.isBinary()).isTrue();
    }

    @Test
    void selectionsKeepEveryCellOfTheChosenRowsAndColumns() {
        SplittableRandom random = new SplittableRandom(11);
        ResponseMatrix.Builder builder = ResponseMatrix.continuous(40, 300);
        double[][] expected = new double[40][300];
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 300; i++) {
                double value = random.nextInt(5) == 0 ? Double.NaN : (float) random.nextDouble();
                expected[m][i] = value;
                builder.set(m, i, value);
            }
        }
        ResponseMatrix matrix = builder.build();
        int[] rows = {39, 0, 17, 17};
        int[] columns = {299, 64, 63, 0, 128};
        ResponseMatrix selected = matrix.selectModels(rows).selectItems(columns);
        assertThat(selected.models()).isEqualTo(4);
        assertThat(selected.items()).isEqualTo(5);
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < columns.length; c++) {
                double want = expected[rows[r]][columns[c]];
                if (Double.isNaN(want)) {
                    assertThat(selected.get(r, c)).isNaN();
                } else {
                    assertThat(selected.get(r, c)).isCloseTo(want, within(1e-7));
                }
            }
        }
    }

    @Test
    void packedRowsAreTakenWithoutBoxing() {
        long[] observed = {-1L, 0b111L};
        long[] correct = {0b1010L, 0b101L};
        ResponseMatrix matrix = ResponseMatrix.binary(1, 67).setBinaryRow(0, observed, correct).build();
        assertThat(matrix.answered(0)).isEqualTo(67);
        assertThat(matrix.get(0, 1)).isEqualTo(1.0);
        assertThat(matrix.get(0, 0)).isEqualTo(0.0);
        assertThat(matrix.get(0, 64)).isEqualTo(1.0);
        assertThat(matrix.get(0, 66)).isEqualTo(1.0);
        assertThat(matrix.rowMean(0)).isCloseTo(4.0 / 67, within(1e-12));
    }

    @Test
    void invalidValuesAreRejectedWithTheirPosition() {
        assertThatThrownBy(() -> ResponseMatrix.binary(1, 3).set(0, 2, 0.5))
                .hasMessageContaining("0.5").hasMessageContaining("item 2");
        assertThatThrownBy(() -> ResponseMatrix.continuous(1, 3).set(0, 1, 1.5))
                .hasMessageContaining("[0, 1]");
    }
}
