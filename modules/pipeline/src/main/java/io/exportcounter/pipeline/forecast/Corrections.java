package io.exportcounter.pipeline.forecast;

import java.util.List;

/**
 * How corrections run, as counted: the net share of accepted value they take away ({@code share}: 0.01 when
 * amendments and cancellations remove 1%) and when they come, as the share of corrected value that arrives
 * within x days of the acceptance (by the size of the net corrections of each day of lag) ({@link #arrived(double)}). Recently accepted value still has its corrections
 * ahead: {@link #pending} of it is expected to go, spread over the coming days the way corrections came so far.
 */
final class Corrections {
    static final Corrections NONE = new Corrections(0, new double[CountedYear.LAG_BUCKETS]);

    private final double share;
    private final double[] lagShare;

    private Corrections(double share, double[] lagShare) {
        this.share = share;
        this.lagShare = lagShare;
    }

    static Corrections learn(List<CountedYear> years) {
        double accepted = 0;
        double corrected = 0;
        double[] lag = new double[CountedYear.LAG_BUCKETS];
        double lagTotal = 0;
        for (CountedYear y : years) {
            accepted += y.acceptedCents();
            corrected += y.correctionCents();
            for (int b = 0; b < lag.length; b++) {
                lag[b] += y.correctionCentsAtLag(b);
            }
        }
        for (int b = 0; b < lag.length; b++) {
            lag[b] = Math.abs(lag[b]);
            lagTotal += lag[b];
        }
        if (accepted <= 0 || lagTotal <= 0) {
            return NONE;
        }
        for (int b = 0; b < lag.length; b++) {
            lag[b] /= lagTotal;
        }
        double share = Math.max(-0.5, Math.min(0.5, -corrected / accepted));
        return new Corrections(share, lag);
    }

    /** The net share of accepted value corrections take away. */
    double share() {
        return share;
    }

    /** The share of corrected value that comes within {@code days} days of the acceptance. */
    double arrived(double days) {
        if (share == 0 || days <= 0) {
            return 0;
        }
        if (days >= lagShare.length) {
            return 1;
        }
        int b = (int) days;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            sum += lagShare[i];
        }
        return Math.min(1, sum + lagShare[b] * (days - b));
    }

    /** Of {@code cents} accepted {@code ageDays} ago, what corrections are still expected to take away. */
    double pending(double cents, double ageDays) {
        return share == 0 ? 0 : share * cents * (1 - arrived(ageDays));
    }
}
