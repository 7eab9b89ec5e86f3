package io.exportcounter.contract;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Time as the reporting country reads it. Periods and clock texts follow the configured zone
 * ({@code reporting.zone}, {@value #DEFAULT_ZONE_ID} by default), never the machine's zone and never the
 * offset written in an event, so a server in UTC still counts 2025-12-31T23:30+09:00 into 2025.
 */
public final class ReportingTime {
    public static final String DEFAULT_ZONE_ID = "Asia/Seoul";

    private final ZoneId zone;

    public ReportingTime(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    public int yearOf(Instant instant) {
        return instant.atZone(zone).getYear();
    }

    public YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(zone));
    }

    /** {@code instant} written with the zone's offset at that instant (DST-correct). */
    public OffsetDateTime inZone(Instant instant) {
        return instant.atZone(zone).toOffsetDateTime();
    }

    public String englishClock(Instant instant) {
        return englishClock(instant.atZone(zone).toLocalTime());
    }

    public String koreanClock(Instant instant) {
        return koreanClock(instant.atZone(zone).toLocalTime());
    }

    /** {@code 1:03 p.m.}, {@code 12:00 a.m.} at midnight, {@code 12:00 p.m.} at noon; seconds are dropped. */
    public static String englishClock(LocalTime t) {
        int minute = t.getMinute();
        return hour12(t) + (minute < 10 ? ":0" : ":") + minute + (t.getHour() < 12 ? " a.m." : " p.m.");
    }

    /** {@code 오후 1시 3분}, {@code 오전 12시} at midnight, {@code 오후 12시} at noon; no {@code 0분}. */
    public static String koreanClock(LocalTime t) {
        String text = (t.getHour() < 12 ? "오전 " : "오후 ") + hour12(t) + "시";
        return t.getMinute() == 0 ? text : text + " " + t.getMinute() + "분";
    }

    private static int hour12(LocalTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }
}
