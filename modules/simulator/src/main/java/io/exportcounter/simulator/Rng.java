package io.exportcounter.simulator;

import java.util.SplittableRandom;

/**
 * The simulator's random numbers: SplittableRandom (its algorithm is specified, so the same seed gives the
 * same numbers on every JVM) and a Box-Muller Gaussian on {@link StrictMath}, because Math.log/exp may
 * differ by an ulp between platforms and the same seed must give byte-identical events everywhere.
 */
final class Rng {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A seed for an independent stream, derived from the run's seed and a few labels. */
    static long derive(long seed, long... labels) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long l : labels) {
            h = mix(h + 0x9E3779B97F4A7C15L * (l + 1));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double nextDouble() {
        return random.nextDouble();
    }

    double between(double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    long nextLong(long bound) {
        return random.nextLong(bound);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * m;
        hasSpare = true;
        return u * m;
    }

    /** Log-normal with the given median; the normal deviate is clamped so no single draw is absurd. */
    double logNormal(double median, double sigma, double maxDeviations) {
        double z = Math.max(-maxDeviations, Math.min(maxDeviations, gaussian()));
        return median * StrictMath.exp(sigma * z);
    }

    /** {@code x} rounded up or down at random so that the expectation is {@code x}. */
    int stochasticRound(double x) {
        int floor = (int) Math.floor(x);
        return floor + (random.nextDouble() < x - floor ? 1 : 0);
    }
}
