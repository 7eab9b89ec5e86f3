package io.exportcounter.pipeline.order;

import java.time.Instant;
import java.util.Objects;

/**
 * How far stage 2 may apply entries in acceptance time: those before an instant every reading stage-1 task has read
 * up to ({@link #at}); everything, when no task is reading ({@link #NONE}); nothing, while a reading task has not said
 * how far it has read ({@link #UNKNOWN}: starting, or moving between instances).
 *
 * <p>An entry at the instant itself waits: the task that read up to it may still read more declarations accepted in
 * the same second, and those with a lower declarationId go first (ChangeEntry#ORDER).
 */
public final class Watermark {
    private enum Kind { NONE, UNKNOWN, AT }

    /** No task is reading: nothing is held back. */
    public static final Watermark NONE = new Watermark(Kind.NONE, null);
    /** A reading task has not said how far it has read: everything is held back. */
    public static final Watermark UNKNOWN = new Watermark(Kind.UNKNOWN, null);

    /** On the pace topic: {@link #NONE} and {@link #UNKNOWN} as the two lowest longs, an instant in epoch ms. */
    private static final long NONE_MS = Long.MIN_VALUE;
    private static final long UNKNOWN_MS = Long.MIN_VALUE + 1;

    private final Kind kind;
    private final Instant instant;

    private Watermark(Kind kind, Instant instant) {
        this.kind = kind;
        this.instant = instant;
    }

    /** Every reading task has read up to {@code instant}: entries before it may go. */
    public static Watermark at(Instant instant) {
        return new Watermark(Kind.AT, Objects.requireNonNull(instant, "instant"));
    }

    /** Whether an entry due at {@code due} may be applied. */
    public boolean lets(Instant due) {
        return switch (kind) {
            case NONE -> true;
            case UNKNOWN -> false;
            case AT -> due.isBefore(instant);
        };
    }

    /** Whether it holds anything back (it is not {@link #NONE}). */
    public boolean holdsBack() {
        return kind != Kind.NONE;
    }

    /** The instant of a watermark {@link #at} one; empty for the others. */
    public java.util.Optional<Instant> instant() {
        return java.util.Optional.ofNullable(instant);
    }

    /** As the pace topic carries it (epoch ms; an instant is cut to the millisecond). */
    long toMillis() {
        return switch (kind) {
            case NONE -> NONE_MS;
            case UNKNOWN -> UNKNOWN_MS;
            case AT -> instant.toEpochMilli();
        };
    }

    static Watermark ofMillis(long ms) {
        return ms == NONE_MS ? NONE : ms == UNKNOWN_MS ? UNKNOWN : at(Instant.ofEpochMilli(ms));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Watermark w && w.kind == kind && Objects.equals(w.instant, instant);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, instant);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none (no task reading)";
            case UNKNOWN -> "unknown (a reading task has not said how far it has read)";
            case AT -> instant.toString();
        };
    }
}
