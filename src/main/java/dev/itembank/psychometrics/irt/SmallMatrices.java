package dev.itembank.psychometrics.irt;

import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/** Symmetric positive-definite solves for the small (D x D, (D+1) x (D+1)) systems of Newton steps. */
public final class SmallMatrices {

    private static final double RELATIVE_SYMMETRY = 1e-8;
    private static final double ABSOLUTE_POSITIVITY = 1e-14;

    private SmallMatrices() {
    }

    static RealMatrix matrix(double[] rowMajor, int n) {
        double[][] rows = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rowMajor, r * n, rows[r], 0, n);
        }
        return MatrixUtils.createRealMatrix(rows);
    }

    static DecompositionSolver cholesky(double[] rowMajor, int n) {
        return new CholeskyDecomposition(matrix(rowMajor, n), RELATIVE_SYMMETRY, ABSOLUTE_POSITIVITY).getSolver();
    }

    /** x with A x = b, for symmetric positive-definite A (row-major, n x n). */
    static double[] solve(double[] a, double[] b, int n) {
        return cholesky(a, n).solve(MatrixUtils.createRealVector(b)).toArray();
    }

    /** The smallest eigenvalue of a symmetric matrix (row-major, n x n). */
    static double smallestEigenvalue(double[] a, int n) {
        double[] values = new org.hipparchus.linear.EigenDecompositionSymmetric(matrix(a, n)).getEigenvalues();
        double smallest = Double.POSITIVE_INFINITY;
        for (double value : values) {
            smallest = Math.min(smallest, value);
        }
        return smallest;
    }

    /** The inverse of an SPD matrix (row-major, n x n), row-major. */
    public static double[] inverse(double[] a, int n) {
        RealMatrix inverse = cholesky(a, n).getInverse();
        double[] out = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                out[r * n + c] = inverse.getEntry(r, c);
            }
        }
        return out;
    }

    /** The diagonal of the inverse of an SPD matrix. */
    static double[] inverseDiagonal(double[] a, int n) {
        RealMatrix inverse = cholesky(a, n).getInverse();
        double[] diagonal = new double[n];
        for (int k = 0; k < n; k++) {
            diagonal[k] = inverse.getEntry(k, k);
        }
        return diagonal;
    }
}
