package io.exportcounter.pipeline.forecast;

import java.util.Arrays;

/** Empirical quantiles of small samples. */
final class Quantiles {
    private Quantiles() {
    }

    /**
     * The {@code p}-quantile of {@code values} with plotting positions i/(n+1) (Hyndman and Fan's type 6): the
     * k-th smallest of n stands at k/(n+1), so an interval between quantiles p and 1-p covers a new draw from the
     * same distribution with probability 1-2p, however small n. Below 1/(n+1) it is the smallest value, above
     * n/(n+1) the largest. Positive infinity is allowed (an outcome that never happens this year).
     */
    static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    static double ofSorted(double[] sorted, double p) {
        int n = sorted.length;
        double h = (n + 1) * p;
        if (h <= 1) {
            return sorted[0];
        }
        if (h >= n) {
            return sorted[n - 1];
        }
        int k = (int) Math.floor(h);
        double lo = sorted[k - 1];
        double hi = sorted[k];
        if (Double.isInfinite(hi)) {
            return h == k ? lo : hi;
        }
        return lo + (h - k) * (hi - lo);
    }
}
