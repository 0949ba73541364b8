package dev.itembank.psychometrics.irt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InformationTest {

    @Test
    void fourPlItemInformationMatchesTheFisherInformationOfItsCurve() {
        UnidimensionalItems items = new UnidimensionalItems(ItemModel.FOUR_PL, new double[] {1.7},
                new double[] {-0.4}, new double[] {0.2}, new double[] {0.9});
        for (double theta = -3; theta <= 3; theta += 0.5) {
            // I = P'(theta)^2 / (P (1 - P)), P' by central differences
            double h = 1e-5;
            double slope = (items.probability(0, theta + h) - items.probability(0, theta - h)) / (2 * h);
            double p = items.probability(0, theta);
            assertThat(items.information(0, theta)).isCloseTo(slope * slope / (p * (1 - p)), within(1e-6));
            double[] generic = new double[1];
            items.addInformation(0, new double[] {theta}, generic);
            assertThat(generic[0]).isCloseTo(items.information(0, theta), within(1e-9));
        }
    }

    @Test
    void twoPlInformationIsSlopeSquaredTimesPq() {
        UnidimensionalItems items = UnidimensionalItems.twoPl(new double[] {1.3}, new double[] {0.7});
        double p = items.probability(0, 0.4);
        assertThat(items.information(0, 0.4)).isCloseTo(1.3 * 1.3 * p * (1 - p), within(1e-12));
    }

    @Test
    void multidimensionalTestInformationIsTheSumOfPqTimesSlopeOuterProducts() {
        MultidimensionalItems items = new MultidimensionalItems(new double[] {1, 0.5, -0.2, 2}, new double[] {0.1, -1},
                2);
        double[] theta = {0.3, -0.7};
        double[] information = items.testInformation(new int[] {0, 1}, theta);
        double[] expected = new double[4];
        for (int j = 0; j < 2; j++) {
            double p = items.probability(j, theta);
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    expected[r * 2 + c] += p * (1 - p) * items.slope(j, r) * items.slope(j, c);
                }
            }
        }
        assertThat(information).containsExactly(expected, within(1e-12));
    }
}
