package io.exportcounter.simulator;

/**
 * Walker's alias method: draws an index with given weights in O(1) from one uniform number. Used for the
 * big tables (100,000 exporters, 2,500 declarants), where a binary search would cost a cache miss per step.
 */
final class AliasTable {
    private final double[] probability;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        probability = new double[n];
        alias = new int[n];
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int s = 0;
        int l = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1) {
                small[s++] = i;
            } else {
                large[l++] = i;
            }
        }
        while (s > 0 && l > 0) {
            int less = small[--s];
            int more = large[--l];
            probability[less] = scaled[less];
            alias[less] = more;
            scaled[more] = scaled[more] + scaled[less] - 1;
            if (scaled[more] < 1) {
                small[s++] = more;
            } else {
                large[l++] = more;
            }
        }
        while (l > 0) {
            probability[large[--l]] = 1;
        }
        while (s > 0) {
            probability[small[--s]] = 1;
        }
    }

    int size() {
        return probability.length;
    }

    /** An index for {@code u} uniform in [0, 1). */
    int sample(double u) {
        double x = u * probability.length;
        int i = (int) x;
        if (i >= probability.length) {
            i = probability.length - 1;
        }
        return x - i < probability[i] ? i : alias[i];
    }

    /** Zipf weights 1/rank^exponent for ranks 1..n. */
    static AliasTable zipf(int n, double exponent) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1.0 / StrictMath.pow(i + 1, exponent);
        }
        return new AliasTable(w);
    }
}
