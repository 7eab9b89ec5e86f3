package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.classification.TableFormatException;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periods of the history on record, a month's first days among them. (In this package: a test folder named like
 * the packaged history's would hide its CSVs from {@link History#packaged()} in this module's tests.)
 */
class HistoryPeriodTest {
    @Test
    void aMonthsFirstDaysAreWrittenAsAnIsoInterval() {
        HistoryPeriod p = HistoryPeriod.parse("2024-12-01/2024-12-20");
        assertThat(p).isEqualTo(HistoryPeriod.ofMonthToDay(2024, 12, 20));
        assertThat(p.kind()).isEqualTo(HistoryPeriod.Kind.MONTH_TO_DAY);
        assertThat(p.toString()).isEqualTo("2024-12-01/2024-12-20");
        assertThat(HistoryPeriod.parse("2024-02-01/2024-02-10")).isEqualTo(HistoryPeriod.ofMonthToDay(2024, 2, 10));
        // after its month, before the next
        assertThat(p).isGreaterThan(HistoryPeriod.ofMonth(2024, 12)).isLessThan(HistoryPeriod.ofYear(2025));
    }

    @Test
    void anIntervalThatIsNotAMonthsFirstDaysIsNoPeriod() {
        assertThat(HistoryPeriod.parse("2024-12-02/2024-12-20")).as("not from the 1st").isNull();
        assertThat(HistoryPeriod.parse("2024-12-01/2025-01-20")).as("two months").isNull();
        assertThat(HistoryPeriod.parse("2024-12-01/2024-12-31")).as("the whole month").isNull();
        assertThat(HistoryPeriod.parse("2023-02-01/2023-02-29")).as("no such day").isNull();
        assertThat(HistoryPeriod.parse("2024-12-01-2024-12-20")).isNull();
    }

    @Test
    void theHistoryKeepsTheFirstDaysApartFromThePeriodsRecordsCompareWith(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kr.csv"), """
                period,dimension,member,totalUsd,exporters,source
                2024-12,NATIONAL,KR,61380000000.00,,a release
                2024-12-01/2024-12-20,NATIONAL,KR,40301000000.00,,a customs release
                """);
        History.Series s = History.load(dir).of(Dimension.NATIONAL, "KR");
        assertThat(s.monthsToDay()).containsOnlyKeys(HistoryPeriod.ofMonthToDay(2024, 12, 20));
        assertThat(s.monthsToDay().firstEntry().getValue().cents()).isEqualTo(4_030_100_000_000L);
        assertThat(s.all()).extracting(History.Figure::period).containsExactly(HistoryPeriod.ofMonth(2024, 12));

        Files.writeString(dir.resolve("kr.csv"), """
                period,dimension,member,totalUsd,exporters,source
                2024-12-01/2024-12-32,NATIONAL,KR,40301000000.00,,a customs release
                """);
        assertThatThrownBy(() -> History.load(dir)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("line 2").hasMessageContaining("2018-06-01/2018-06-20");
    }

    @Test
    void thePackagedHistoryHoldsTheCustomsServicesFirstTwentyDays() {
        History.Series s = History.packaged().of(Dimension.NATIONAL, "KR");
        assertThat(s.monthsToDay().get(HistoryPeriod.ofMonthToDay(2024, 12, 20)).cents()).isEqualTo(4_030_100_000_000L);
        assertThat(s.monthsToDay().get(HistoryPeriod.ofMonthToDay(2025, 12, 20)).cents()).isEqualTo(4_300_000_000_000L);
        assertThat(s.monthsToDay().values()).allSatisfy(f -> assertThat(f.source()).contains("Korea Customs Service").contains("http"));
    }
}
