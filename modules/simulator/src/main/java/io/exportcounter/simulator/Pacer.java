package io.exportcounter.simulator;

import java.time.Instant;
import java.util.Optional;

/**
 * When each record is due in real time. Speed mode maps simulated time to real time ({@code speed}
 * simulated seconds per real second); rate mode spaces declaration-topic records evenly ({@code rate} a
 * second); unpaced sends at once. Inside the slow-motion window around a planned crossing, simulated
 * time runs at {@code slowMotionSpeed} in every mode (never faster than the run itself), so an audience
 * can watch the counter approach the threshold and the pipeline can catch up and apply the crossing in
 * order. Records before {@code fastForwardUntil} go out unpaced.
 *
 * <p>A producer that falls behind is not made to burst forever: it keeps at most a second of debt.
 */
final class Pacer {
    private static final long MAX_DEBT_NANOS = 1_000_000_000L;

    private final double speed;
    private final double rate;
    private final double slowSpeed;
    private final long windowStart;
    private final long windowEnd;
    private final long fastForwardUntil;

    private boolean started;
    private long baseline;
    private double dueNanos;
    private long previousSecond;

    Pacer(SimulatorOptions options, Optional<Calibration.PlannedCrossing> crossing) {
        this.speed = options.speed();
        this.rate = options.rate();
        boolean slow = switch (options.slowMotion()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> options.paced() && crossing.isPresent();
        };
        if (slow && crossing.isEmpty()) {
            throw new IllegalArgumentException("slow-motion ON needs a planned crossing, and "
                    + options.year() + "'s calibration plans none");
        }
        this.slowSpeed = speed > 0 ? Math.min(speed, options.slowMotionSpeed()) : options.slowMotionSpeed();
        if (slow) {
            long at = crossing.get().at().getEpochSecond();
            this.windowStart = at - options.slowMotionBefore().getSeconds();
            this.windowEnd = at + options.slowMotionAfter().getSeconds();
        } else {
            this.windowStart = Long.MAX_VALUE;
            this.windowEnd = Long.MIN_VALUE;
        }
        Instant ff = options.fastForwardUntil();
        this.fastForwardUntil = ff == null ? Long.MIN_VALUE : ff.getEpochSecond();
    }

    boolean inSlowMotion(long epochSecond) {
        return epochSecond >= windowStart && epochSecond <= windowEnd;
    }

    /** Simulated seconds per real second at a simulated time, or 0 when unpaced there. */
    double speedAt(long epochSecond) {
        if (inSlowMotion(epochSecond)) {
            return slowSpeed;
        }
        return speed;
    }

    /** Starts pacing afresh from the next record (after a pause the pacer should not make up for). */
    void restart() {
        started = false;
    }

    /** The {@link System#nanoTime()} at which the record is due; {@code now} when it is due already. */
    long dueAt(SimEvent e, long now) {
        long t = e.epochSecond();
        if (t < fastForwardUntil) {
            started = false;
            previousSecond = t;
            return now;
        }
        if (!started) {
            started = true;
            baseline = now;
            dueNanos = 0;
            previousSecond = t;
            return now;
        }
        long from = previousSecond;
        previousSecond = Math.max(previousSecond, t);
        long inside = windowEnd < windowStart ? 0 : Math.max(0, Math.min(t, windowEnd) - Math.max(from, windowStart));
        long outside = Math.max(0, t - from) - inside;
        dueNanos += inside * 1e9 / slowSpeed;
        if (speed > 0) {
            dueNanos += outside * 1e9 / speed;
        } else if (rate > 0 && !e.kind().onRatesTopic() && !inSlowMotion(t)) {
            dueNanos += 1e9 / rate;
        }
        long due = baseline + (long) dueNanos;
        if (now - due > MAX_DEBT_NANOS) {
            baseline += now - due - MAX_DEBT_NANOS;
            due = now - MAX_DEBT_NANOS;
        }
        return Math.max(due, now - MAX_DEBT_NANOS);
    }
}
