package dev.itembank.psychometrics.irt;

/**
 * Unconstrained BFGS with a backtracking (Armijo) line search, for the small smooth problems of ability
 * estimation (D <= 15). It follows scipy's {@code minimize(method="BFGS")}, which tinyBenchmarks uses: start from
 * the given point, identity inverse Hessian, stop when the largest gradient component is below {@code gtol}.
 */
final class Bfgs {

    private Bfgs() {
    }

    @FunctionalInterface
    interface Objective {
        /** The value at {@code x}, with its gradient written into {@code gradient}. */
        double value(double[] x, double[] gradient);
    }

    record Result(double[] point, double value, int iterations, boolean converged) {
    }

    static Result minimize(double[] start, Objective objective, double gtol, int maxIterations) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double f = objective.value(x, g);
        double[] h = identity(n);
        double[] direction = new double[n];
        double[] nextX = new double[n];
        double[] nextG = new double[n];
        int iteration = 0;
        double previousF = f + Math.sqrt(dot(g, g)) / 2;
        while (iteration < maxIterations) {
            if (maxAbs(g) < gtol) {
                return new Result(x, f, iteration, true);
            }
            iteration++;
            // direction = -H g
            double slope = 0;
            for (int r = 0; r < n; r++) {
                double sum = 0;
                for (int c = 0; c < n; c++) {
                    sum -= h[r * n + c] * g[c];
                }
                direction[r] = sum;
                slope += sum * g[r];
            }
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                h = identity(n);
                for (int r = 0; r < n; r++) {
                    direction[r] = -g[r];
                }
                slope = -dot(g, g);
            }
            // scipy's first trial step (line_search_wolfe1): min(1, 1.01 * 2 (f - f_previous) / slope), with
            // f_previous = f + |g| / 2 before the first iteration, so that the first step moves about 1 in theta
            // rather than |g|
            double trial = 1.01 * 2 * (f - previousF) / slope;
            double step = trial > 0 ? Math.min(1.0, trial) : 1.0;
            double nextF;
            while (true) {
                for (int r = 0; r < n; r++) {
                    nextX[r] = x[r] + step * direction[r];
                }
                nextF = objective.value(nextX, nextG);
                if (nextF <= f + 1e-4 * step * slope || step < 1e-12) {
                    break;
                }
                step /= 2;
            }
            if (step < 1e-12 && nextF > f) {
                return new Result(x, f, iteration, maxAbs(g) < gtol);
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                s[r] = nextX[r] - x[r];
                y[r] = nextG[r] - g[r];
            }
            double sy = dot(s, y);
            if (sy > 1e-12) {
                update(h, s, y, sy, n);
            }
            System.arraycopy(nextX, 0, x, 0, n);
            System.arraycopy(nextG, 0, g, 0, n);
            previousF = f;
            if (Math.abs(f - nextF) <= 1e-15 * Math.max(1, Math.abs(f)) && maxAbs(s) < 1e-12) {
                f = nextF;
                return new Result(x, f, iteration, maxAbs(g) < gtol);
            }
            f = nextF;
        }
        return new Result(x, f, iteration, maxAbs(g) < gtol);
    }

    // H <- (I - rho s y') H (I - rho y s') + rho s s',  rho = 1 / (y' s)
    private static void update(double[] h, double[] s, double[] y, double sy, int n) {
        double rho = 1.0 / sy;
        double[] hy = new double[n];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int c = 0; c < n; c++) {
                sum += h[r * n + c] * y[c];
            }
            hy[r] = sum;
        }
        double yhy = dot(y, hy);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                h[r * n + c] += (1 + rho * yhy) * rho * s[r] * s[c] - rho * (hy[r] * s[c] + s[r] * hy[c]);
            }
        }
    }

    private static double[] identity(int n) {
        double[] h = new double[n * n];
        for (int k = 0; k < n; k++) {
            h[k * n + k] = 1;
        }
        return h;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}
