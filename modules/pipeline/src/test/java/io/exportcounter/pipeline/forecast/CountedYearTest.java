package io.exportcounter.pipeline.forecast;

import static io.exportcounter.pipeline.forecast.SyntheticYears.FORECASTER;
import static io.exportcounter.pipeline.forecast.SyntheticYears.HOLIDAYS;
import static io.exportcounter.pipeline.forecast.SyntheticYears.kst;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CountedYearTest {
    @Test
    void countsIntoTheDayAndHourOfTheReportingZone() {
        CountedYear y = FORECASTER.newCountedYear(2025);
        // 2025-12-31T23:30+09:00 is 14:30 UTC: still 2025 in Seoul
        assertThat(y.accept(kst(2025, 12, 31, 23, 30).getEpochSecond(), 500)).isTrue();
        assertThat(y.centsOnDay(364)).isEqualTo(500);
        assertThat(y.centsInHour(DayKind.HourGroup.MONTH_END, 23)).isEqualTo(500);
        // 2026-01-01T00:00+09:00 is not
        assertThat(y.accept(kst(2026, 1, 1, 0, 0).getEpochSecond(), 700)).isFalse();
        assertThat(y.accept(kst(2024, 12, 31, 23, 59).getEpochSecond(), 700)).isFalse();
        assertThat(y.totalCents()).isEqualTo(500);
    }

    @Test
    void aCorrectionMovesTheDayOfTheDeclarationItChanges() {
        CountedYear y = FORECASTER.newCountedYear(2025);
        long accepted = kst(2025, 3, 10, 10, 0).getEpochSecond();
        y.accept(accepted, 1_000);
        // withdrawn 40 days later: the day of March 10 loses it, the lag is "a month or more"
        y.correct(accepted, -1_000, kst(2025, 4, 19, 9, 0).getEpochSecond());
        // an amendment a day later, on another declaration, raises its value
        long other = kst(2025, 3, 11, 15, 0).getEpochSecond();
        y.accept(other, 2_000);
        y.correct(other, 500, other + 86_400 + 60);
        assertThat(y.centsOnDay(68)).isZero();
        assertThat(y.centsOnDay(69)).isEqualTo(2_500);
        assertThat(y.totalCents()).isEqualTo(2_500);
        assertThat(y.acceptedCents()).isEqualTo(3_000);
        assertThat(y.correctionCents()).isEqualTo(-500);
        assertThat(y.correctionCentsAtLag(CountedYear.LAG_BUCKETS - 1)).isEqualTo(-1_000);
        assertThat(y.correctionCentsAtLag(1)).isEqualTo(500);
    }

    @Test
    void encodesCompactlyAndDecodesToTheSameYear() {
        CountedYear y = SyntheticYears.counted(2024, kst(2024, 11, 20, 12, 0), d -> 123_456_789_012L);
        y.correct(kst(2024, 11, 18, 10, 30).getEpochSecond(), -1_234_567L, kst(2024, 11, 20, 11, 0).getEpochSecond());
        byte[] bytes = y.encode();
        assertThat(bytes[0]).isEqualTo(CountedYear.VERSION);
        assertThat(bytes.length).isLessThan(4_000);
        CountedYear back = CountedYear.decode(bytes, HOLIDAYS);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(back.totalCents()).isEqualTo(y.totalCents());
        assertThat(back.calendar()).isSameAs(y.calendar());
        assertThat(back.openDay()).isEqualTo(y.openDay());
        for (int d = 0; d < 366; d++) {
            assertThat(back.centsOnDay(d)).isEqualTo(y.centsOnDay(d));
        }
    }

    @Test
    void refusesBytesOfAnotherVersionOrBroken() {
        byte[] bytes = FORECASTER.newCountedYear(2025).encode();
        byte[] other = bytes.clone();
        other[0] = 2;
        assertThatThrownBy(() -> CountedYear.decode(other, HOLIDAYS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> CountedYear.decode(cut, HOLIDAYS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsZone() {
        CountedYear utc = new CountedYear(HOLIDAYS.yearCalendar(2025, ZoneId.of("UTC")));
        CountedYear back = CountedYear.decode(utc.encode(), HOLIDAYS);
        assertThat(back.calendar().zone()).isEqualTo(ZoneId.of("UTC"));
    }
}
