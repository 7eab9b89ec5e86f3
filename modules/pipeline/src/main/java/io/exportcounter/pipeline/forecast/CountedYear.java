package io.exportcounter.pipeline.forecast;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the pipeline counted into one annual total (year, dimension, member): cents per day of the year in the
 * reporting zone, the time-of-day profile (cents per hour of day for ordinary working days, month-end days and
 * days off), and how corrections ran (their net sum and their size by how many days after the acceptance they
 * came). The hours of the day in progress are also kept apart, so the profile can leave a half-counted day
 * out. The forecaster's whole view of this year; small (about 3 KB encoded) so stage 2 can keep one per total
 * in a changelogged store.
 *
 * <p>Updates are the hot path: {@link #accept} and {@link #correct} are O(1) and allocate nothing. A correction
 * moves the day of the declaration it changes, the way the totals do: an amendment is {@code correct(oldAcceptedAt,
 * -oldCents, ...)} and {@code correct(newAcceptedAt, +newCents, ...)} (into another year's series when the
 * amendment moves it there; when it keeps the acceptance time, one call with the difference is the same), a cancellation {@code correct(acceptedAt, -cents, ...)}. Not thread-safe: one stream
 * thread owns it.
 */
public final class CountedYear {
    /** The first byte of {@link #encode()}. */
    public static final byte VERSION = 1;
    /** Corrections by lag: days 0 to 30 after the acceptance, and a last bucket for a month or more. */
    public static final int LAG_BUCKETS = 32;
    static final int HOUR_GROUPS = DayKind.HourGroup.values().length;

    private final YearCalendar calendar;
    private final long[] centsByDay;
    private final long[] centsByGroupHour;
    private final long[] correctionCentsByLag;
    /** The hours of the latest day counted so far, kept apart so a day in progress does not skew the hour profile. */
    private final long[] openDayHours = new long[24];
    private int openDay = -1;
    private long totalCents;
    private long acceptedCents;
    private long correctionCents;
    private long latestCountedAt = Long.MIN_VALUE;

    /** An empty year. */
    public CountedYear(YearCalendar calendar) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.centsByDay = new long[calendar.days()];
        this.centsByGroupHour = new long[HOUR_GROUPS * 24];
        this.correctionCentsByLag = new long[LAG_BUCKETS];
    }

    /**
     * Counts a newly accepted declaration.
     *
     * @return false (and nothing counted) when {@code acceptedAtEpochSecond} is not in this year
     */
    public boolean accept(long acceptedAtEpochSecond, long cents) {
        if (!add(acceptedAtEpochSecond, cents)) {
            return false;
        }
        acceptedCents += cents;
        if (acceptedAtEpochSecond > latestCountedAt) {
            latestCountedAt = acceptedAtEpochSecond;
        }
        return true;
    }

    /**
     * Counts a correction of a declaration accepted at {@code acceptedAtEpochSecond}, applied when the pipeline
     * had counted up to {@code countedAtEpochSecond} (its stream time: the latest acceptedAt counted).
     *
     * @return false (and nothing counted) when {@code acceptedAtEpochSecond} is not in this year
     */
    public boolean correct(long acceptedAtEpochSecond, long deltaCents, long countedAtEpochSecond) {
        if (!add(acceptedAtEpochSecond, deltaCents)) {
            return false;
        }
        correctionCents += deltaCents;
        long lagDays = Math.max(0, countedAtEpochSecond - acceptedAtEpochSecond) / YearCalendar.SECONDS_PER_DAY;
        correctionCentsByLag[(int) Math.min(LAG_BUCKETS - 1, lagDays)] += deltaCents;
        if (countedAtEpochSecond > latestCountedAt && calendar.dayOf(countedAtEpochSecond) >= 0) {
            latestCountedAt = countedAtEpochSecond;
        }
        return true;
    }

    private boolean add(long epochSecond, long cents) {
        int day = calendar.dayOf(epochSecond);
        if (day < 0) {
            return false;
        }
        int hour = calendar.hourOf(day, epochSecond);
        centsByDay[day] += cents;
        centsByGroupHour[calendar.kind(day).hourGroup().ordinal() * 24 + hour] += cents;
        if (day > openDay) {
            Arrays.fill(openDayHours, 0);
            openDay = day;
        }
        if (day == openDay) {
            openDayHours[hour] += cents;
        }
        totalCents += cents;
        return true;
    }

    public int year() {
        return calendar.year();
    }

    public YearCalendar calendar() {
        return calendar;
    }

    /** The year's total so far, every correction included. */
    public long totalCents() {
        return totalCents;
    }

    /** Cents counted on day {@code day} (0-based) of the year. */
    public long centsOnDay(int day) {
        return centsByDay[day];
    }

    /** Cents counted in hour {@code hour} (0-23) of days of {@code group}. */
    public long centsInHour(DayKind.HourGroup group, int hour) {
        return centsByGroupHour[group.ordinal() * 24 + hour];
    }

    /** The latest day (0-based) anything was counted into; -1 when none. */
    public int openDay() {
        return openDay;
    }

    /** Cents counted in hour {@code hour} of {@link #openDay()}: its share of the hour profile so far. */
    public long centsInOpenDayHour(int hour) {
        return openDayHours[hour];
    }

    /** The sum of newly accepted declarations, before any correction. */
    public long acceptedCents() {
        return acceptedCents;
    }

    /** The net sum of every correction (negative when they took value away). */
    public long correctionCents() {
        return correctionCents;
    }

    /**
     * The net cents of corrections that came {@code bucket} days after the acceptance (the last: a month or more).
     * Net, so an amendment counted as its old value out and its new value in equals one call with the difference.
     */
    public long correctionCentsAtLag(int bucket) {
        return correctionCentsByLag[bucket];
    }

    /** The latest instant counted (an acceptance, or the stream time of a correction); Long.MIN_VALUE when none. */
    public long latestCountedAt() {
        return latestCountedAt;
    }

    // ------------------------------------------------------------------ encoding

    /**
     * The compact binary form: a version byte ({@link #VERSION}), the year, the zone id, then every counter as a
     * zig-zag varint (a day of a few billion cents takes five or six bytes).
     */
    public byte[] encode() {
        byte[] zone = calendar.zone().getId().getBytes(StandardCharsets.UTF_8);
        int longs = centsByDay.length + centsByGroupHour.length + correctionCentsByLag.length + openDayHours.length + 5;
        Writer w = new Writer(1 + 5 + 5 + zone.length + 5 * 4 + 10 * longs);
        w.buffer[w.pos++] = VERSION;
        w.varint(calendar.year());
        w.varint(zone.length);
        System.arraycopy(zone, 0, w.buffer, w.pos, zone.length);
        w.pos += zone.length;
        w.varint(centsByDay.length);
        w.varint(HOUR_GROUPS);
        w.varint(LAG_BUCKETS);
        for (long v : centsByDay) {
            w.varint(v);
        }
        for (long v : centsByGroupHour) {
            w.varint(v);
        }
        for (long v : correctionCentsByLag) {
            w.varint(v);
        }
        w.varint(openDay);
        for (long v : openDayHours) {
            w.varint(v);
        }
        w.varint(totalCents);
        w.varint(acceptedCents);
        w.varint(correctionCents);
        w.varint(latestCountedAt);
        return Arrays.copyOf(w.buffer, w.pos);
    }

    /**
     * The year {@link #encode()} wrote, with its calendar from {@code holidays}.
     *
     * @throws IllegalArgumentException when the bytes are of another version, truncated or inconsistent
     */
    public static CountedYear decode(byte[] bytes, HolidayCalendar holidays) {
        Reader r = new Reader(bytes);
        try {
            byte version = bytes[r.pos++];
            if (version != VERSION) {
                throw new IllegalArgumentException("counted year encoded in version " + version + ", this code reads version " + VERSION);
            }
            int year = (int) r.varint();
            int zoneLength = (int) r.varint();
            String zone = new String(bytes, r.pos, zoneLength, StandardCharsets.UTF_8);
            r.pos += zoneLength;
            CountedYear y = new CountedYear(holidays.yearCalendar(year, ZoneId.of(zone)));
            int days = (int) r.varint();
            int groups = (int) r.varint();
            int lags = (int) r.varint();
            if (days != y.centsByDay.length || groups != HOUR_GROUPS || lags != LAG_BUCKETS) {
                throw new IllegalArgumentException("counted year " + year + " has " + days + " days, " + groups
                        + " hour groups and " + lags + " lag buckets; expected " + y.centsByDay.length + ", " + HOUR_GROUPS + " and " + LAG_BUCKETS);
            }
            r.fill(y.centsByDay);
            r.fill(y.centsByGroupHour);
            r.fill(y.correctionCentsByLag);
            y.openDay = (int) r.varint();
            r.fill(y.openDayHours);
            y.totalCents = r.varint();
            y.acceptedCents = r.varint();
            y.correctionCents = r.varint();
            y.latestCountedAt = r.varint();
            if (r.pos != bytes.length) {
                throw new IllegalArgumentException("counted year " + year + " has " + (bytes.length - r.pos) + " bytes too many");
            }
            long sum = 0;
            for (long v : y.centsByDay) {
                sum += v;
            }
            if (sum != y.totalCents) {
                throw new IllegalArgumentException("counted year " + year + ": its days sum to " + sum + " cents, its total says " + y.totalCents);
            }
            return y;
        } catch (ArrayIndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("counted year bytes are truncated or malformed: " + e.getMessage(), e);
        }
    }

    private static final class Writer {
        final byte[] buffer;
        int pos;

        Writer(int capacity) {
            buffer = new byte[capacity];
        }

        void varint(long value) {
            long v = (value << 1) ^ (value >> 63);
            while ((v & ~0x7FL) != 0) {
                buffer[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[pos++] = (byte) v;
        }
    }

    private static final class Reader {
        final byte[] bytes;
        int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return (v >>> 1) ^ -(v & 1);
                }
            }
            throw new IllegalArgumentException("a varint longer than 10 bytes");
        }

        void fill(long[] into) {
            for (int i = 0; i < into.length; i++) {
                into[i] = varint();
            }
        }
    }
}
