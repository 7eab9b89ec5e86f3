package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.ExporterSize;
import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * One exporter's live declarations in one reporting year, per period (the year itself and each month)
 * and exporter size: what the distinct-exporter counts move on. A total's exporter count changes only
 * when an exporter's count for that total goes between 0 and 1. Keeping the whole year of an exporter
 * under one key costs stage 2 one store read and at most one write per declaration, where a key per
 * period and size would cost four of each.
 */
final class ExporterYear {
    /** Period 0 is the year; 1 to 12 are its months. */
    static final int PERIODS = 13;
    private static final int SIZES = ExporterSize.values().length;
    private static final ExporterSize[] SIZE = ExporterSize.values();

    private final int[] counts = new int[PERIODS * SIZES];
    /** Slots of {@code counts} not zero: kept as they change, since every round asks for it. */
    private int nonZero;
    /** Stage 2's bookkeeping, never stored: the store key (set with {@link #key(String)}), and whether the current round moved it. */
    String key;
    /** The key's first 16 characters, packed: sorting a round's writes by key rarely needs to read the strings. */
    private long sortHigh;
    private long sortLow;
    boolean dirty;
    /** The last round that used it: which to drop first when too many are in memory. */
    long lastRound;

    /** Store key: the exporters of one year sort together. */
    static String key(String year, String exporterId) {
        return year + "|" + exporterId;
    }

    /** Sets the store key. */
    void key(String key) {
        this.key = key;
        sortHigh = pack(key, 0);
        sortLow = pack(key, 8);
    }

    private static long pack(String s, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (i < s.length() ? s.charAt(i) & 0xFF : 0);
        }
        return v;
    }

    /**
     * By store key: exactly the store's byte order for Latin-1 keys (exporter ids are digits), and for any key a
     * consistent order. Only the speed of writing a round's batch depends on it.
     */
    static final Comparator<ExporterYear> BY_KEY = (a, b) -> {
        int c = Long.compareUnsigned(a.sortHigh, b.sortHigh);
        if (c == 0) {
            c = Long.compareUnsigned(a.sortLow, b.sortLow);
        }
        return c != 0 ? c : a.key.compareTo(b.key);
    };

    /**
     * Adds {@code sign} (+1 or -1) live declarations of {@code size} in {@code period}; returns how the
     * exporter counts move: [0] of the total of all sizes, [1] of the size's total (each -1, 0 or +1).
     */
    void add(int period, ExporterSize size, int sign, int[] moves) {
        int all = all(period);
        int slot = period * SIZES + size.ordinal();
        int before = counts[slot];
        int after = before + sign;
        if (after < 0) {
            throw new IllegalStateException("exporter activity below zero in period " + period + " for " + size);
        }
        counts[slot] = after;
        nonZero += (after != 0 ? 1 : 0) - (before != 0 ? 1 : 0);
        moves[0] = transition(all, all + sign);
        moves[1] = transition(before, counts[slot]);
    }

    private int all(int period) {
        int sum = 0;
        for (int s = 0; s < SIZES; s++) {
            sum += counts[period * SIZES + s];
        }
        return sum;
    }

    private static int transition(int before, int after) {
        if (before == 0 && after > 0) {
            return 1;
        }
        if (before > 0 && after == 0) {
            return -1;
        }
        return 0;
    }

    /**
     * Whether the exporter has a live declaration in a month from 1 to {@code through} other than {@code except},
     * of {@code size}, or of any size when {@code size} is null.
     */
    boolean liveInMonthsExcept(int through, int except, ExporterSize size) {
        for (int month = 1; month <= through; month++) {
            if (month != except && (size == null ? all(month) : count(month, size)) > 0) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return nonZero == 0;
    }

    int count(int period, ExporterSize size) {
        return counts[period * SIZES + size.ordinal()];
    }

    /** Nonzero slots only: a typical exporter has one size and a few months, so a few bytes. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(1 + nonZero * 5);
        b.put((byte) nonZero);
        for (int slot = 0; slot < counts.length; slot++) {
            if (counts[slot] != 0) {
                b.put((byte) slot).putInt(counts[slot]);
            }
        }
        return b.array();
    }

    static ExporterYear decode(byte[] bytes) {
        ExporterYear y = new ExporterYear();
        if (bytes == null) {
            return y;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.get() & 0xff;
        for (int i = 0; i < n; i++) {
            int slot = b.get() & 0xff;
            if (slot >= y.counts.length) {
                throw new IllegalStateException("exporter activity record has slot " + slot + " of " + y.counts.length);
            }
            y.counts[slot] = b.getInt();
            if (y.counts[slot] != 0) {
                y.nonZero++;
            }
        }
        return y;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ExporterYear{");
        for (int slot = 0; slot < counts.length; slot++) {
            if (counts[slot] != 0) {
                s.append(slot / SIZES == 0 ? "year" : "month " + slot / SIZES).append('/').append(SIZE[slot % SIZES])
                        .append('=').append(counts[slot]).append(' ');
            }
        }
        return s.append('}').toString();
    }
}
