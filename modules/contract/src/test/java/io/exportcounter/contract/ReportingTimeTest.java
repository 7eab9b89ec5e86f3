package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportingTimeTest {

    private final ReportingTime seoul = new ReportingTime(ZoneId.of(ReportingTime.DEFAULT_ZONE_ID));

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', textBlock = """
            00:00    | 12:00 a.m. | 오전 12시
            00:05    | 12:05 a.m. | 오전 12시 5분
            09:05    | 9:05 a.m.  | 오전 9시 5분
            11:59:59 | 11:59 a.m. | 오전 11시 59분
            12:00    | 12:00 p.m. | 오후 12시
            12:59    | 12:59 p.m. | 오후 12시 59분
            13:00    | 1:00 p.m.  | 오후 1시
            13:03:27 | 1:03 p.m.  | 오후 1시 3분
            23:59    | 11:59 p.m. | 오후 11시 59분
            """)
    void formatsWallClockTimes(String time, String english, String korean) {
        LocalTime t = LocalTime.parse(time);
        assertThat(ReportingTime.englishClock(t)).isEqualTo(english);
        assertThat(ReportingTime.koreanClock(t)).isEqualTo(korean);
    }

    @Test
    void instantClocksUseTheReportingZoneNotTheInstantsUtcTime() {
        Instant crossing = Instant.parse("2025-12-29T04:03:27.412Z");
        assertThat(seoul.englishClock(crossing)).isEqualTo("1:03 p.m.");
        assertThat(seoul.koreanClock(crossing)).isEqualTo("오후 1시 3분");

        ReportingTime utc = new ReportingTime(ZoneOffset.UTC);
        assertThat(utc.englishClock(crossing)).isEqualTo("4:03 a.m.");
    }

    @Test
    void yearOfFollowsTheReportingZone() {
        assertThat(seoul.yearOf(OffsetDateTime.parse("2025-12-31T23:30+09:00").toInstant())).isEqualTo(2025);
        assertThat(seoul.yearOf(Instant.parse("2025-12-31T15:30:00Z"))).isEqualTo(2026);
        // The offset written in an event does not matter, only the instant.
        assertThat(seoul.yearOf(OffsetDateTime.parse("2025-12-31T10:00-08:00").toInstant())).isEqualTo(2026);
    }

    @Test
    void monthOfAcrossAMonthBoundary() {
        assertThat(seoul.monthOf(Instant.parse("2025-11-30T14:59:59.999Z"))).isEqualTo(YearMonth.of(2025, 11));
        assertThat(seoul.monthOf(Instant.parse("2025-11-30T15:00:00Z"))).isEqualTo(YearMonth.of(2025, 12));
    }

    @Test
    void aDifferentConfiguredZoneGivesADifferentPeriodForTheSameInstant() {
        Instant instant = Instant.parse("2025-12-31T20:00:00Z");
        ReportingTime newYork = new ReportingTime(ZoneId.of("America/New_York"));

        assertThat(seoul.yearOf(instant)).isEqualTo(2026);
        assertThat(newYork.yearOf(instant)).isEqualTo(2025);
        assertThat(seoul.monthOf(instant)).isEqualTo(YearMonth.of(2026, 1));
        assertThat(newYork.monthOf(instant)).isEqualTo(YearMonth.of(2025, 12));
        assertThat(newYork.zone()).isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void inZoneUsesTheZonesOffsetAtThatInstant() {
        assertThat(seoul.inZone(Instant.parse("2025-12-29T04:03:27Z")))
                .isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));

        ReportingTime newYork = new ReportingTime(ZoneId.of("America/New_York"));
        assertThat(newYork.inZone(Instant.parse("2025-07-01T12:00:00Z")).getOffset())
                .isEqualTo(ZoneOffset.ofHours(-4));
        assertThat(newYork.inZone(Instant.parse("2025-12-01T12:00:00Z")).getOffset())
                .isEqualTo(ZoneOffset.ofHours(-5));
    }
}
