package dev.itembank.calibrations;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.ItemModel;
import dev.itembank.psychometrics.irt.MultidimensionalItems;
import dev.itembank.psychometrics.irt.UnidimensionalItems;

/**
 * Item parameters as stored: a kind byte, the item count and the dimension, then float64 arrays (unidimensional:
 * a, d, g, u; multidimensional: d, then the slopes item-major). Exact: a stored calibration predicts what the fitted
 * one did, to the last bit.
 */
final class ItemParameters {

    private static final byte MULTIDIMENSIONAL = 0;

    private ItemParameters() {
    }

    static byte[] encode(ItemBank items) {
        if (items instanceof UnidimensionalItems uni) {
            int n = uni.items();
            ByteBuffer buffer = header(1 + uni.model().ordinal(), n, 1, 4L * n);
            for (double[] values : new double[][] {uni.slope(), uni.intercept(), uni.guessing(), uni.upper()}) {
                buffer.asDoubleBuffer().put(values);
                buffer.position(buffer.position() + 8 * n);
            }
            return buffer.array();
        }
        MultidimensionalItems multi = (MultidimensionalItems) items;
        int n = multi.items();
        ByteBuffer buffer = header(MULTIDIMENSIONAL, n, multi.dimensions(), (long) n * (1 + multi.dimensions()));
        buffer.asDoubleBuffer().put(multi.intercepts()).put(multi.slopes());
        return buffer.array();
    }

    static ItemBank decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte kind = buffer.get();
        int n = buffer.getInt();
        int dimensions = buffer.getInt();
        if (kind == MULTIDIMENSIONAL) {
            double[] intercepts = new double[n];
            double[] slopes = new double[n * dimensions];
            buffer.asDoubleBuffer().get(intercepts).get(slopes);
            return new MultidimensionalItems(slopes, intercepts, dimensions);
        }
        double[][] arrays = new double[4][n];
        for (double[] values : arrays) {
            buffer.asDoubleBuffer().get(values);
            buffer.position(buffer.position() + 8 * n);
        }
        return new UnidimensionalItems(ItemModel.values()[kind - 1], arrays[0], arrays[1], arrays[2], arrays[3]);
    }

    static byte[] encode(double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }

    static double[] decodeDoubles(byte[] bytes) {
        double[] values = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(values);
        return values;
    }

    /**
     * The fitted items placed over all {@code columns} of a dataset version; a column the fit did not use (dropped
     * by preprocessing) becomes a flat item, slope 0, that predicts its training mean for every ability.
     */
    static ItemBank expand(ItemBank fitted, int[] fittedColumns, int columns, double[] columnMeans) {
        if (fittedColumns.length == columns) {
            return fitted;
        }
        // flat item: P = sigmoid(d) = mean  =>  d = logit(mean)
        double[] flatIntercept = Arrays.stream(columnMeans).map(p -> {
            double clamped = Math.max(1e-3, Math.min(1 - 1e-3, Double.isNaN(p) ? 0.5 : p));
            return Math.log(clamped / (1 - clamped));
        }).toArray();
        if (fitted instanceof UnidimensionalItems uni) {
            double[] a = new double[columns];
            double[] d = flatIntercept.clone();
            double[] g = new double[columns];
            double[] u = new double[columns];
            Arrays.fill(u, 1.0);
            for (int k = 0; k < fittedColumns.length; k++) {
                int j = fittedColumns[k];
                a[j] = uni.slope()[k];
                d[j] = uni.intercept()[k];
                g[j] = uni.guessing()[k];
                u[j] = uni.upper()[k];
            }
            return new UnidimensionalItems(uni.model(), a, d, g, u);
        }
        MultidimensionalItems multi = (MultidimensionalItems) fitted;
        int dimensions = multi.dimensions();
        double[] slopes = new double[columns * dimensions];
        double[] intercepts = flatIntercept.clone();
        for (int k = 0; k < fittedColumns.length; k++) {
            int j = fittedColumns[k];
            intercepts[j] = multi.intercepts()[k];
            System.arraycopy(multi.slopes(), k * dimensions, slopes, j * dimensions, dimensions);
        }
        return new MultidimensionalItems(slopes, intercepts, dimensions);
    }

    private static ByteBuffer header(int kind, int items, int dimensions, long doubles) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(9 + 8 * doubles));
        buffer.put((byte) kind).putInt(items).putInt(dimensions);
        return buffer;
    }
}
