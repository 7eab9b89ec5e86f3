package io.exportcounter.pipeline.forecast;

import static io.exportcounter.pipeline.forecast.SyntheticYears.FORECASTER;
import static io.exportcounter.pipeline.forecast.SyntheticYears.counted;
import static io.exportcounter.pipeline.forecast.SyntheticYears.history;
import static io.exportcounter.pipeline.forecast.SyntheticYears.kst;
import static io.exportcounter.pipeline.forecast.SyntheticYears.workingDays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.history.History;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forecaster on synthetic years whose answers can be worked out by hand. */
class ForecasterTest {
    /** $900 million per working day, in cents (divisible by the nine office hours). */
    static final long V = 90_000_000_000L;
    static final History.Series NO_HISTORY = History.empty().of(Dimension.NATIONAL, "KR");

    static Forecast forecast(CountedYear y, Instant asOf, History.Series history, List<CountedYear> earlier, long... thresholds) {
        List<Long> ks = java.util.Arrays.stream(thresholds).boxed().toList();
        return FORECASTER.forecast(new ForecastRequest(Dimension.NATIONAL, "KR", asOf, y, earlier, history, ks));
    }

    static Forecast.ThresholdForecast only(Forecast f) {
        assertThat(f.thresholds()).hasSize(1);
        return f.thresholds().get(0);
    }

    // ------------------------------------------------------------------ a flat year

    @Test
    void aFlatYearCrossesAThresholdWhenItsWorkingDaysAddUpToIt() {
        // Given every working day of 2025 carries V, counted up to July 1
        Instant asOf = kst(2025, 7, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);
        long s = y.totalCents();
        assertThat(s).isEqualTo(V * workingDays(2025, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 7, 1)));

        // When it forecasts a threshold 10.5 working days ahead
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), s + 10 * V + V / 2);

        // Then the threshold falls halfway through the 11th working day: July 1-4, 7-11 and 14 are ten,
        // and 4.5 of the 9 office hours of July 15 take it to 13:30
        assertThat(only(f).expectedAt()).isBetween(kst(2025, 7, 15, 13, 29), kst(2025, 7, 15, 13, 31));
        // and the year ends at V times the working days left, the public holidays of October included
        long left = workingDays(2025, LocalDate.of(2025, 7, 1), LocalDate.of(2026, 1, 1));
        assertThat(f.projectedYearEndCents()).isCloseTo(s + left * V, within(V / 1000));
        assertThat(f.totalCents()).isEqualTo(s);
    }

    @Test
    void aFlatYearWithoutHistoryHasNoRangeUntilItCanMeasureOne() {
        // Given a flat year and nothing on record
        Instant asOf = kst(2025, 7, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);

        // When it forecasts in July a threshold in July and one in September
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), y.totalCents() + 10 * V, y.totalCents() + 60 * V);

        // Then the July one is measured on the months counted (flat: no error, certain), the September one and the
        // year end have a projection but no range: nothing measured the error of the later months yet
        Forecast.ThresholdForecast july = f.thresholds().get(0);
        assertThat(july.expectedAt()).isEqualTo(july.earliest()).isEqualTo(july.latest());
        assertThat(july.probabilityThisYear()).isEqualTo(1.0);
        Forecast.ThresholdForecast september = f.thresholds().get(1);
        assertThat(september.expectedAt()).isBetween(kst(2025, 9, 1, 0, 0), kst(2025, 10, 1, 0, 0));
        assertThat(september.probabilityThisYear()).isNull();
        assertThat(september.earliest()).isNull();
        assertThat(f.yearEndRange()).isNull();
        assertThat(f.method()).contains("no 80% range for the year end");
    }

    @Test
    void inDecemberAFlatYearMeasuresItsErrorOnItsOwnMonths() {
        // Given a flat year counted up to December 15, noon: the rest of December is all that is left
        Instant asOf = kst(2025, 12, 15, 12, 0);
        CountedYear y = counted(2025, asOf, d -> V);
        long s = y.totalCents();

        // When it forecasts
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), s + 3 * V);

        // Then the completed months, all flat, measured no error: the range is the projection itself (noon is 3 of
        // the 9 office hours, so 6/9 of the 15th is left)
        long left = V * 6 / 9 + V * workingDays(2025, LocalDate.of(2025, 12, 16), LocalDate.of(2026, 1, 1));
        assertThat(f.projectedYearEndCents()).isCloseTo(s + left, within(V / 1000));
        assertThat(f.yearEndRange().lowCents()).isCloseTo(f.projectedYearEndCents(), within(V / 1000));
        assertThat(f.yearEndRange().highCents()).isCloseTo(f.projectedYearEndCents(), within(V / 1000));
        // and 3 working days ahead from noon on Monday the 15th is noon on Thursday the 18th, certainly this year
        assertThat(only(f).expectedAt()).isBetween(kst(2025, 12, 18, 11, 59), kst(2025, 12, 18, 12, 1));
        assertThat(only(f).probabilityThisYear()).isEqualTo(1.0);
        assertThat(f.basis().withinMonthErrors()).isGreaterThanOrEqualTo(10);
    }

    // ------------------------------------------------------------------ a December rush

    /** Earlier years on record: every working day worth {@code base}, December's twice as much. */
    static History.Series decemberRushOnRecord() {
        return history(2018, 2024, (year, month) -> month == 12 ? 2 * V : V);
    }

    @Test
    void aDecemberRushOnRecordDoublesTheRunRateOfDecember() {
        // Given a 2025 like the years on record, counted up to December 1: flat so far
        Instant asOf = kst(2025, 12, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> d.getMonthValue() == 12 ? 2 * V : V);
        long s = y.totalCents();

        // When it forecasts a threshold 11 working days' worth of an ordinary day away
        Forecast f = forecast(y, asOf, decemberRushOnRecord(), List.of(), s + 11 * V);

        // Then December runs at 2V a working day as every December on record: 5.5 working days, Dec 1-5 and
        // half of Monday the 8th (a run rate of V would have said December 16)
        assertThat(only(f).expectedAt()).isBetween(kst(2025, 12, 8, 13, 29), kst(2025, 12, 8, 13, 31));
        long december = 2 * V * workingDays(2025, LocalDate.of(2025, 12, 1), LocalDate.of(2026, 1, 1));
        assertThat(f.projectedYearEndCents()).isCloseTo(s + december, within(V / 100));
        assertThat(f.basis().historyYears()).containsExactly(2018, 2019, 2020, 2021, 2022, 2023, 2024);
    }

    @Test
    void aDecemberRushUnderWayKeepsItsPace() {
        // Given the rush counted up to noon on December 15 (2V a working day since December 1)
        Instant asOf = kst(2025, 12, 15, 12, 0);
        CountedYear y = counted(2025, asOf, d -> d.getMonthValue() == 12 ? 2 * V : V);
        long s = y.totalCents();

        // When it forecasts 5 more working days of the rush
        Forecast f = forecast(y, asOf, decemberRushOnRecord(), List.of(), s + 10 * V);

        // Then from noon on the 15th, five working days of 2V take it to noon on the 22nd
        assertThat(only(f).expectedAt()).isBetween(kst(2025, 12, 22, 11, 59), kst(2025, 12, 22, 12, 1));
        long left = 2 * V * 6 / 9 + 2 * V * workingDays(2025, LocalDate.of(2025, 12, 16), LocalDate.of(2026, 1, 1));
        assertThat(f.projectedYearEndCents()).isCloseTo(s + left, within(V / 100));
    }

    // ------------------------------------------------------------------ the shape of a month

    @Test
    void aDecemberWhoseLastDaysCarryDoubleOnRecordIsForecastSoFromItsFirstDays() {
        // Given years on record whose working days carry V and December's after the 20th 2V, published as months
        // and each month's first 20 days; and a 2025 counted flat (V a working day) up to December 15
        History.Series onRecord = SyntheticYears.historyByDay(2018, 2024,
                d -> d.getMonthValue() == 12 && d.getDayOfMonth() > 20 ? 2 * V : V);
        Instant asOf = kst(2025, 12, 15, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);
        long s = y.totalCents();

        // When it forecasts a threshold of December 15-19 (five working days of V) and one V more
        Forecast f = forecast(y, asOf, onRecord, List.of(), s + 5 * V + V);

        // Then December 22, the first working day after the 20th, carries 2V: half of it takes the total there at
        // 13:30 (it would be 18:00 at V a day)...
        assertThat(only(f).expectedAt()).isBetween(kst(2025, 12, 22, 13, 29), kst(2025, 12, 22, 13, 31));
        // ...and the year ends with December's working days after the 20th at 2V
        long late = 2 * V * workingDays(2025, LocalDate.of(2025, 12, 21), LocalDate.of(2026, 1, 1));
        assertThat(f.projectedYearEndCents()).isCloseTo(s + 5 * V + late, within(V / 100));
    }

    @Test
    void aKindOfDayCountedOnceLeansOnItsFallback() {
        // Given 2024 counted at V every working day, but December 31 (the year's last working day) at 7V
        CountedYear y = counted(2024, kst(2025, 1, 1, 0, 0), d -> d.equals(LocalDate.of(2024, 12, 31)) ? 7 * V : V);

        // When the shape of its days is learned
        Shape shape = Shape.learn(List.of(new Shape.Observed(y, y.calendar().days())));

        // Then the year's last working day weighs that one day and five at late December's factor (1) together:
        // (7 + 5) / (1 + 5) = 2; one day's big ships do not make it 7
        assertThat(shape.factor(DayKind.YEAR_END_1)).isCloseTo(2.0, within(1e-9));
        assertThat(shape.factor(DayKind.LATE_DECEMBER)).isCloseTo(1.0, within(1e-9));
        assertThat(shape.factor(DayKind.MONTH_END_1)).isCloseTo(1.0, within(1e-9));
    }

    // ------------------------------------------------------------------ a big cancellation

    @Test
    void aBigCancellationLowersTheTotalAndMovesTheCrossingLater() {
        // Given a flat 2025 in which a declaration worth 10 working days was accepted on June 20 at 10:30
        long big = 10 * V;
        long acceptedAt = kst(2025, 6, 20, 10, 30).getEpochSecond();
        Instant beforeCancel = kst(2025, 6, 27, 0, 0);
        CountedYear y = counted(2025, beforeCancel, d -> V);
        y.accept(acceptedAt, big);
        long threshold = y.totalCents() + 30 * V;
        Forecast before = forecast(y, beforeCancel, NO_HISTORY, List.of(), threshold);

        // When it is withdrawn on June 27 (the goods were not loaded) and the rest of the week is counted
        Instant asOf = kst(2025, 7, 1, 0, 0);
        CountedYear after = counted(2025, asOf, d -> V);
        after.accept(acceptedAt, big);
        after.correct(acceptedAt, -big, kst(2025, 6, 27, 9, 0).getEpochSecond());
        Forecast f = forecast(after, asOf, NO_HISTORY, List.of(), threshold);

        // Then the total is back to a flat year's and so is the run rate: the year end drops by more than the
        // withdrawn value (the week of June 20 no longer looks like 3V a day)...
        assertThat(after.totalCents()).isEqualTo(counted(2025, asOf, d -> V).totalCents());
        assertThat(f.projectedYearEndCents()).isLessThan(before.projectedYearEndCents() - big);
        // ...and the threshold, 30 working days above the total before the withdrawal, is now 30 working days
        // above the total of June 26 plus the 10 withdrawn: 40 - 2 counted since = 38 working days after July 1
        Instant expected = only(f).expectedAt();
        assertThat(only(before).expectedAt()).isBefore(expected);
        LocalDate day = LocalDate.of(2025, 7, 1);
        int n = 0;
        while (n < 37) {
            if (SyntheticYears.working(FORECASTER.calendar(2025).kind(day.getDayOfYear() - 1))) {
                n++;
            }
            day = day.plusDays(1);
        }
        while (!SyntheticYears.working(FORECASTER.calendar(2025).kind(day.getDayOfYear() - 1))) {
            day = day.plusDays(1);
        }
        // the correction share (10V of 129V accepted, all within days) still expects some of the last days'
        // value to go, so the crossing is the end of the 38th working day or a little later
        assertThat(expected).isBetween(kst(2025, day.getMonthValue(), day.getDayOfMonth(), 17, 59),
                kst(2025, day.getMonthValue(), day.getDayOfMonth(), 17, 59).plus(Duration.ofDays(5)));
        assertThat(f.basis().correctionShare()).isCloseTo(10.0 / 129.0, within(0.01));
    }

    // ------------------------------------------------------------------ edges

    @Test
    void aThresholdAlreadyPassedIsLeftOut() {
        Instant asOf = kst(2025, 7, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), y.totalCents() - 1, y.totalCents(), y.totalCents() + V);
        assertThat(f.thresholds()).extracting(Forecast.ThresholdForecast::thresholdCents).containsExactly(y.totalCents() + V);
    }

    @Test
    void aThresholdOutOfReachThisYearHasNoExpectedTimeAndAProbabilityOfZero() {
        // Given a rush year on record and counted, forecast on December 1 (ranges measured on the counted months)
        Instant asOf = kst(2025, 12, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> d.getMonthValue() == 12 ? 2 * V : V);

        // When a threshold twice December away is asked for
        Forecast f = forecast(y, asOf, decemberRushOnRecord(), List.of(), y.totalCents() + 100 * V);

        // Then it is not expected this year, at odds of zero
        Forecast.ThresholdForecast k = only(f);
        assertThat(k.expectedThisYear()).isFalse();
        assertThat(k.expectedAt()).isNull();
        assertThat(k.latest()).isNull();
        assertThat(k.probabilityThisYear()).isEqualTo(0.0);
        assertThat(k.probabilityText()).isEqualTo("0.00");
    }

    @Test
    void inTheLastHourOfTheYearOnlyWhatTheHourCanAddIsLeft() {
        // Given a year whose every day, December 31 included, runs around the clock: V/24 an hour, half of it at a
        // quarter past and half at a quarter to
        Instant asOf = kst(2025, 12, 31, 23, 30);
        CountedYear y = FORECASTER.newCountedYear(2025);
        YearCalendar cal = y.calendar();
        for (long at = cal.start() + 900; at < asOf.getEpochSecond(); at += 1800) {
            y.accept(at, V / 48);
        }
        long s = y.totalCents();

        // When it forecasts at 23:30 on December 31
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), s + V / 96, s + V);

        // Then half an hour of V/24 is left: a quarter of an hour reaches V/96, V does not fall this year
        assertThat(f.projectedYearEndCents()).isCloseTo(s + V / 48, within(V / 10_000));
        assertThat(f.thresholds().get(0).expectedAt()).isBetween(kst(2025, 12, 31, 23, 44), kst(2025, 12, 31, 23, 46));
        assertThat(f.thresholds().get(1).expectedAt()).isNull();
        assertThat(f.thresholds().get(1).probabilityThisYear()).isEqualTo(0.0);
    }

    @Test
    void afterTheYearItsTotalIsItsEnd() {
        Instant asOf = kst(2026, 1, 1, 0, 5);
        CountedYear y = counted(2025, asOf, d -> V);
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), y.totalCents() + 1);
        assertThat(f.projectedYearEndCents()).isEqualTo(y.totalCents());
        assertThat(f.yearEndRange()).isEqualTo(new Forecast.Range(y.totalCents(), y.totalCents()));
        assertThat(only(f).probabilityThisYear()).isEqualTo(0.0);
    }

    @Test
    void aLeapYearCountsFebruary29() {
        // Given a flat 2024, counted up to February 27
        Instant asOf = kst(2024, 2, 27, 0, 0);
        CountedYear y = counted(2024, asOf, d -> V);
        long s = y.totalCents();

        // When it forecasts 2.5 working days ahead
        Forecast f = forecast(y, asOf, NO_HISTORY, List.of(), s + 2 * V + V / 2);

        // Then Tuesday 27, Wednesday 28 and half of Thursday February 29 take it there
        assertThat(only(f).expectedAt()).isBetween(kst(2024, 2, 29, 13, 29), kst(2024, 2, 29, 13, 31));
        assertThat(y.calendar().days()).isEqualTo(366);
    }

    @Test
    void beforeAWeekIsCountedLastYearsTotalAndTheYearOnYearChangesOnRecordDecide() {
        // Given three days of 2025 and years on record growing 10% a year
        Instant asOf = kst(2025, 1, 4, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);
        History.Series growing = history(2018, 2024, (year, month) -> Math.round(V * Math.pow(1.1, year - 2018)));

        // When it forecasts
        Forecast f = forecast(y, asOf, growing, List.of(), 1);

        // Then the year is last year's total (spread by the shape of the year), and its range spans the changes
        long last = growing.years().get(2024).cents();
        assertThat(f.method()).startsWith("last year's total");
        assertThat((double) f.projectedYearEndCents()).isCloseTo(last, within(last * 0.02));
        assertThat(f.yearEndRange().lowCents()).isGreaterThan(f.projectedYearEndCents());
    }

    @Test
    void withNothingCountedAndNothingOnRecordThereIsNoForecastYet() {
        CountedYear y = FORECASTER.newCountedYear(2025);
        Forecast f = forecast(y, kst(2025, 1, 2, 0, 0), NO_HISTORY, List.of(), 100);
        assertThat(f.projectedYearEndCents()).isZero();
        assertThat(f.yearEndRange()).isNull();
        assertThat(only(f).expectedAt()).isNull();
        assertThat(only(f).probabilityThisYear()).isNull();
    }

    @Test
    void historyOfTheForecastYearAndLaterIsNeverRead() {
        // Given a record that lists 2025 and 2026 too, with absurd Decembers
        History.Series onRecord = history(2018, 2024, (year, month) -> month == 12 ? 2 * V : V);
        History.Series withFuture = history(2018, 2026, (year, month) -> year >= 2025 && month == 12 ? 50 * V
                : month == 12 ? 2 * V : V);
        Instant asOf = kst(2025, 12, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);

        // Then the forecast is the same as with the record up to 2024
        Forecast a = forecast(y, asOf, onRecord, List.of(), y.totalCents() + 11 * V);
        Forecast b = forecast(y, asOf, withFuture, List.of(), y.totalCents() + 11 * V);
        assertThat(b.projectedYearEndCents()).isEqualTo(a.projectedYearEndCents());
        assertThat(b.thresholds()).isEqualTo(a.thresholds());
        assertThat(b.basis().historyYears()).containsExactly(2018, 2019, 2020, 2021, 2022, 2023, 2024);
    }

    @Test
    void rangesWidenWithTheSpreadOfTheYearsOnRecord() {
        // Given years on record whose Decembers were sometimes weak and sometimes strong
        History.Series unsteady = history(2018, 2024, (year, month) -> month == 12 ? V * (8 + (year % 5)) / 10 : V);
        Instant asOf = kst(2025, 11, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);

        // When it forecasts from November 1 a threshold in December
        long k = y.totalCents() + 30 * V;
        Forecast f = forecast(y, asOf, unsteady, List.of(), k);

        // Then the projection sits inside its range, the range has width, and the crossing has a range around it
        assertThat(f.yearEndRange().lowCents()).isLessThan(f.projectedYearEndCents());
        assertThat(f.yearEndRange().highCents()).isGreaterThan(f.projectedYearEndCents());
        Forecast.ThresholdForecast t = only(f);
        assertThat(t.earliest()).isBefore(t.expectedAt());
        assertThat(t.probabilityThisYear()).isBetween(0.0, 1.0);
    }

    @Test
    void learnsHowMuchAMonthsValueFollowsItsWorkingDaysFromTheRecord() {
        // Given years on record whose months grew as the square root of their working days (holidays in a month
        // lower it, but less than in proportion)
        History.Series sqrt = history(2018, 2024, (year, month) -> 0);
        java.util.TreeMap<io.exportcounter.pipeline.history.HistoryPeriod, History.Figure> months = new java.util.TreeMap<>();
        for (int year = 2018; year <= 2024; year++) {
            for (int m = 1; m <= 12; m++) {
                LocalDate first = LocalDate.of(year, m, 1);
                long cents = Math.round(20 * V * Math.sqrt(workingDays(year, first, first.plusMonths(1))));
                var p = io.exportcounter.pipeline.history.HistoryPeriod.ofMonth(year, m);
                months.put(p, new History.Figure(p, cents, null, "synthetic"));
            }
        }
        History.Series onRecord = new History.Series(sqrt.years(), months, sqrt.yearsToDate());
        Instant asOf = kst(2025, 7, 1, 0, 0);
        CountedYear y = counted(2025, asOf, d -> V);

        // When it forecasts
        Forecast f = forecast(y, asOf, onRecord, List.of(), y.totalCents() + V);

        // Then it finds the square root
        assertThat(f.basis().workingDayElasticity()).isCloseTo(0.5, within(0.01));
    }
}
