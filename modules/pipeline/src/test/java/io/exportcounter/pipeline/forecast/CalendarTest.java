package io.exportcounter.pipeline.forecast;

import static io.exportcounter.pipeline.forecast.SyntheticYears.FORECASTER;
import static io.exportcounter.pipeline.forecast.SyntheticYears.HOLIDAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.pipeline.classification.TableFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalendarTest {
    @TempDir
    Path dir;

    static DayKind kind(int year, int month, int day) {
        return FORECASTER.calendar(year).kind(LocalDate.of(year, month, day).getDayOfYear() - 1);
    }

    @Test
    void thePackagedTableCoversTheYearsOfTheMonthlyHistoryAndNextYear() {
        for (int y = 2018; y <= 2026; y++) {
            assertThat(HOLIDAYS.covers(y)).as("%d", y).isTrue();
        }
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2025, 10, 6))).isTrue();
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2025, 1, 27))).isTrue();
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2025, 12, 29))).isFalse();
    }

    @Test
    void decembersCloseIsItsLastThreeWorkingDays() {
        assertThat(kind(2025, 12, 25)).isEqualTo(DayKind.HOLIDAY);
        assertThat(kind(2025, 12, 26)).isEqualTo(DayKind.LATE_DECEMBER);
        assertThat(kind(2025, 12, 27)).isEqualTo(DayKind.SATURDAY);
        assertThat(kind(2025, 12, 29)).isEqualTo(DayKind.YEAR_END_3);
        assertThat(kind(2025, 12, 30)).isEqualTo(DayKind.YEAR_END_2);
        assertThat(kind(2025, 12, 31)).isEqualTo(DayKind.YEAR_END_1);
        assertThat(kind(2025, 12, 19)).isEqualTo(DayKind.WORKING);
        // January 2025: the 27th-30th are holidays, so its close is the 23rd, 24th and 31st
        assertThat(kind(2025, 1, 31)).isEqualTo(DayKind.MONTH_END_1);
        assertThat(kind(2025, 1, 24)).isEqualTo(DayKind.MONTH_END_2);
        assertThat(kind(2025, 1, 23)).isEqualTo(DayKind.MONTH_END_3);
    }

    @Test
    void findsTheDayOfAnInstantInTheZone() {
        YearCalendar c = FORECASTER.calendar(2024);
        assertThat(c.days()).isEqualTo(366);
        assertThat(c.dayOf(c.start())).isZero();
        assertThat(c.dayOf(c.start() - 1)).isEqualTo(-1);
        assertThat(c.dayOf(c.end() - 1)).isEqualTo(365);
        assertThat(c.dayOf(c.end())).isEqualTo(-1);
        assertThat(c.firstDayOfMonth(3)).isEqualTo(60);
        // a zone with daylight saving: 23- and 25-hour days still find their day
        YearCalendar ny = HOLIDAYS.yearCalendar(2025, ZoneId.of("America/New_York"));
        for (int d = 0; d < ny.days(); d++) {
            assertThat(ny.dayOf(ny.dayStart(d))).isEqualTo(d);
            assertThat(ny.dayOf(ny.dayStart(d + 1) - 1)).isEqualTo(d);
        }
    }

    @Test
    void aYearTheTableDoesNotCoverKnowsOnlyWeekends() {
        YearCalendar c = FORECASTER.calendar(2030);
        assertThat(c.holidaysCovered()).isFalse();
        assertThat(c.kind(LocalDate.of(2030, 10, 3).getDayOfYear() - 1)).isEqualTo(DayKind.WORKING);
    }

    @Test
    void anOperatorTableIsCheckedRowByRow() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "date,name,source\n2030-05-01,Labour day,somewhere, with commas\n");
        HolidayCalendar h = HolidayCalendar.load(dir);
        assertThat(h.isHoliday(LocalDate.of(2030, 5, 1))).isTrue();
        assertThat(h.covers(2030)).isTrue();
        Files.writeString(dir.resolve("b.csv"), "date,name,source\n2030-13-01,Bad,x\n");
        assertThatThrownBy(() -> HolidayCalendar.load(dir)).isInstanceOf(TableFormatException.class).hasMessageContaining("yyyy-MM-dd");
        Files.writeString(dir.resolve("b.csv"), "date,name,source\n2030-06-01,No source,\n");
        assertThatThrownBy(() -> HolidayCalendar.load(dir)).isInstanceOf(TableFormatException.class).hasMessageContaining("source");
    }

    @Test
    void quantilesOfSmallSamplesUsePlottingPositions() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        // n = 9: the 10% point is the first of ten gaps, 90% the ninth
        assertThat(Quantiles.of(v, 0.1)).isEqualTo(1.0);
        assertThat(Quantiles.of(v, 0.9)).isEqualTo(9.0);
        assertThat(Quantiles.of(v, 0.5)).isEqualTo(5.0);
        assertThat(Quantiles.of(new double[] {1, 2, 3, Double.POSITIVE_INFINITY}, 0.9)).isInfinite();
        assertThat(Quantiles.of(new double[] {1, 2, 3, Double.POSITIVE_INFINITY}, 0.2)).isEqualTo(1.0);
    }
}
