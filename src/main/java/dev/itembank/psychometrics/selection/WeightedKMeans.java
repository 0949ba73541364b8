package dev.itembank.psychometrics.selection;

import java.util.SplittableRandom;

/**
 * k-means with sample weights (Lloyd's iterations from a weighted k-means++ start), as scikit-learn's
 * {@code KMeans.fit(X, sample_weight=w)} that tinyBenchmarks calls. Written here because Hipparchus's clusterers
 * take no sample weights, which the balance weights of sub-scenarios need.
 */
final class WeightedKMeans {

    private static final int MAX_ITERATIONS = 300;
    private static final double TOLERANCE = 1e-4;

    private WeightedKMeans() {
    }

    /** Cluster labels, centroids (k x dims, row-major) and the weighted inertia. */
    record Result(int[] labels, double[] centroids, double inertia, int iterations) {
    }

    /**
     * @param points n x dims, row-major
     * @param weights one per point, positive
     */
    static Result fit(double[] points, int n, int dims, double[] weights, int k, SplittableRandom random) {
        if (k > n) {
            throw new IllegalArgumentException("cannot make " + k + " clusters of " + n + " points");
        }
        double[] centroids = plusPlus(points, n, dims, weights, k, random);
        Hamerly bounds = new Hamerly(points, n, dims, k);
        bounds.assignAll(centroids);
        double tolerance = TOLERANCE * meanVariance(points, n, dims);
        int iteration = 0;
        double[] moved = new double[k];
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            double[] sums = new double[k * dims];
            double[] mass = new double[k];
            for (int i = 0; i < n; i++) {
                int c = bounds.labels[i];
                mass[c] += weights[i];
                for (int d = 0; d < dims; d++) {
                    sums[c * dims + d] += weights[i] * points[i * dims + d];
                }
            }
            double shift = 0;
            for (int c = 0; c < k; c++) {
                double squared = 0;
                if (mass[c] > 0) { // an empty cluster keeps its centroid
                    for (int d = 0; d < dims; d++) {
                        double next = sums[c * dims + d] / mass[c];
                        double delta = next - centroids[c * dims + d];
                        squared += delta * delta;
                        centroids[c * dims + d] = next;
                    }
                }
                moved[c] = Math.sqrt(squared);
                shift += squared;
            }
            bounds.update(centroids, moved);
            if (shift <= tolerance) {
                break;
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += weights[i] * distance(points, i, centroids, bounds.labels[i], dims);
        }
        return new Result(bounds.labels, centroids, inertia, iteration);
    }

    /**
     * Hamerly's exact acceleration of Lloyd's assignment step: per point an upper bound on the distance to its
     * centre and a lower bound on the distance to any other; a point is looked at again only when they cross.
     *
     * @see <a href="https://doi.org/10.1137/1.9781611972801.12">Hamerly (2010)</a>
     */
    private static final class Hamerly {
        final double[] points;
        final int n;
        final int dims;
        final int k;
        final int[] labels;
        final double[] upper;
        final double[] lower;
        /** The centroids by dimension (dims x k), so that a scan's inner loop runs over contiguous centres. */
        final double[] byDimension;
        final double[] squared;

        Hamerly(double[] points, int n, int dims, int k) {
            this.points = points;
            this.n = n;
            this.dims = dims;
            this.k = k;
            this.labels = new int[n];
            this.upper = new double[n];
            this.lower = new double[n];
            this.byDimension = new double[dims * k];
            this.squared = new double[k];
        }

        void assignAll(double[] centroids) {
            transpose(centroids);
            for (int i = 0; i < n; i++) {
                scan(i);
            }
        }

        private void transpose(double[] centroids) {
            for (int c = 0; c < k; c++) {
                for (int d = 0; d < dims; d++) {
                    byDimension[d * k + c] = centroids[c * dims + d];
                }
            }
        }

        /** After the centres moved by {@code moved}: loosen the bounds, then reassign the points that need it. */
        void update(double[] centroids, double[] moved) {
            double largest = 0;
            double second = 0;
            int largestCentre = -1;
            for (int c = 0; c < k; c++) {
                if (moved[c] > largest) {
                    second = largest;
                    largest = moved[c];
                    largestCentre = c;
                } else if (moved[c] > second) {
                    second = moved[c];
                }
            }
            transpose(centroids);
            double[] gap = new double[k];
            for (int c = 0; c < k; c++) {
                double closest = Double.POSITIVE_INFINITY;
                for (int other = 0; other < k; other++) {
                    if (other != c) {
                        closest = Math.min(closest, distance(centroids, c, centroids, other, dims));
                    }
                }
                gap[c] = Math.sqrt(closest) / 2;
            }
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                upper[i] += moved[c];
                lower[i] -= c == largestCentre ? second : largest;
                double bound = Math.max(gap[c], lower[i]);
                if (upper[i] <= bound) {
                    continue;
                }
                upper[i] = Math.sqrt(distance(points, i, centroids, c, dims));
                if (upper[i] <= bound) {
                    continue;
                }
                scan(i);
            }
        }

        // squared distances to every centre at once: dimension by dimension over contiguous centres
        private void scan(int i) {
            java.util.Arrays.fill(squared, 0);
            for (int d = 0; d < dims; d++) {
                double x = points[i * dims + d];
                int row = d * k;
                for (int c = 0; c < k; c++) {
                    double delta = x - byDimension[row + c];
                    squared[c] += delta * delta;
                }
            }
            double best = Double.POSITIVE_INFINITY;
            double next = Double.POSITIVE_INFINITY;
            int label = 0;
            for (int c = 0; c < k; c++) {
                double d = squared[c];
                if (d < best) {
                    next = best;
                    best = d;
                    label = c;
                } else if (d < next) {
                    next = d;
                }
            }
            labels[i] = label;
            upper[i] = Math.sqrt(best);
            lower[i] = Math.sqrt(next);
        }
    }

    // greedy k-means++ (scikit-learn's): the first centre drawn by weight; each next one the best, by the summed
    // weighted squared distance it leaves, of 2 + floor(ln k) candidates drawn with probability w_i D(x_i)^2
    private static double[] plusPlus(double[] points, int n, int dims, double[] weights, int k,
            SplittableRandom random) {
        // the points by dimension (dims x n): distances of all points to one candidate run over contiguous memory
        double[] byDimension = new double[dims * n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                byDimension[d * n + i] = points[i * dims + d];
            }
        }
        double[] centroids = new double[k * dims];
        double[] nearest = new double[n];
        int first = draw(weights, n, random);
        System.arraycopy(points, first * dims, centroids, 0, dims);
        distancesTo(byDimension, n, dims, points, first, nearest);
        int trials = 2 + (int) Math.log(k);
        double[] score = new double[n];
        double[] candidateNearest = new double[n];
        double[] bestNearest = new double[n];
        for (int c = 1; c < k; c++) {
            for (int i = 0; i < n; i++) {
                score[i] = weights[i] * nearest[i];
            }
            int best = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int candidate = draw(score, n, random);
                distancesTo(byDimension, n, dims, points, candidate, candidateNearest);
                double potential = 0;
                for (int i = 0; i < n; i++) {
                    candidateNearest[i] = Math.min(nearest[i], candidateNearest[i]);
                    potential += weights[i] * candidateNearest[i];
                }
                if (potential < bestPotential) {
                    bestPotential = potential;
                    best = candidate;
                    System.arraycopy(candidateNearest, 0, bestNearest, 0, n);
                }
            }
            System.arraycopy(points, best * dims, centroids, c * dims, dims);
            System.arraycopy(bestNearest, 0, nearest, 0, n);
        }
        return centroids;
    }

    /** Squared distances of every point to point {@code to}, dimension by dimension. */
    private static void distancesTo(double[] byDimension, int n, int dims, double[] points, int to, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int d = 0; d < dims; d++) {
            double centre = points[to * dims + d];
            int row = d * n;
            for (int i = 0; i < n; i++) {
                double delta = byDimension[row + i] - centre;
                out[i] += delta * delta;
            }
        }
    }

    private static int draw(double[] mass, int n, SplittableRandom random) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += mass[i];
        }
        if (total <= 0) {
            return random.nextInt(n);
        }
        double target = random.nextDouble() * total;
        double running = 0;
        for (int i = 0; i < n; i++) {
            running += mass[i];
            if (running >= target) {
                return i;
            }
        }
        return n - 1;
    }

    static double distance(double[] points, int i, double[] centroids, int c, int dims) {
        double sum = 0;
        for (int d = 0; d < dims; d++) {
            double delta = points[i * dims + d] - centroids[c * dims + d];
            sum += delta * delta;
        }
        return sum;
    }

    private static double meanVariance(double[] points, int n, int dims) {
        double total = 0;
        for (int d = 0; d < dims; d++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += points[i * dims + d] / n;
            }
            for (int i = 0; i < n; i++) {
                double delta = points[i * dims + d] - mean;
                total += delta * delta / n;
            }
        }
        return total / dims;
    }
}
