package io.exportcounter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastBacktestTest {
    @TempDir
    Path dir;

    @Test
    void theForecasterIsGivenNoHistoryOfTheReplayedYearOrLater() {
        History.Series all = History.packaged().of(Dimension.NATIONAL, "KR");
        assertThat(all.years()).containsKey(2025);
        History.Series before = ForecastBacktest.before(all, 2025);
        assertThat(before.years().lastKey()).isEqualTo(2024);
        assertThat(before.months().lastKey()).isEqualTo(HistoryPeriod.ofMonth(2024, 12));
        assertThat(before.yearsToDate().keySet()).allMatch(p -> p.year() < 2025);
    }

    @Test
    void readsTheNationalThresholdsOfThePipelineConfig() throws IOException {
        Path config = dir.resolve("pipeline.properties");
        Files.writeString(config, "milestones.thresholds.NATIONAL.KR=500M,600B,1.5T\n");
        assertThat(ForecastBacktest.nationalThresholds(config)).containsExactly(50_000_000_000L, 60_000_000_000_000L,
                150_000_000_000_000L);
        assertThat(ForecastBacktest.nationalThresholds(dir.resolve("absent.properties"))).hasSize(10)
                .contains(70_000_000_000_000L);
    }

    @Test
    void stopsAtTheDecemberPointsOfTheIssue() {
        List<String> labels = ForecastBacktest.cuts(2025).stream().map(ForecastBacktest.Cut::label).toList();
        assertThat(labels).contains("Dec 1 (end of Nov)", "Dec 15", "Dec 22", "Dec 28", "Dec 29 9 a.m.", "end of Oct");
        assertThat(ForecastBacktest.cuts(2025)).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
    }

    @Test
    void aSmallReplayWritesItsTablesBetweenTheMarkers() throws IOException {
        // Given a page with text of its own around the generated part
        Path page = dir.resolve("forecast.md");
        Files.writeString(page, "# Forecasts\n\nmethod text\n\n" + ForecastBacktest.BEGIN + "\nold table\n" + ForecastBacktest.END
                + "\n\nlimits text\n");

        // When a small backtest runs (2025, one seed, 20,000 declarations)
        new ForecastBacktest(List.of(2025), List.of(7L), 20_000, page, dir.resolve("absent.properties")).run();

        // Then the tables replace the old one and the page's own text stays
        String doc = Files.readString(page);
        assertThat(doc).startsWith("# Forecasts\n\nmethod text\n\n").endsWith("\nlimits text\n").doesNotContain("old table");
        assertThat(doc).contains("$700B of 2025", "Dec 29 13:03", "| 2025 | warm |", "threshold crossing time");
    }
}
