package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stage 2's forecasts (CONTRACT.md section 5b) on the real topology with TopologyTestDriver. */
class ForecastsTest {
    private static final OffsetDateTime DEC_15 = OffsetDateTime.parse("2025-12-15T00:00:00+09:00");

    @Test
    void a_year_counted_to_december_15_is_forecast_once_a_minute_at_most_and_kept_for_the_api() throws Exception {
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092");
        TradeYear year = TradeYear.of2025(40, Mix.MARKET);
        List<TradeYear.Declared> toDec15 = year.declarations.stream()
                .filter(d -> OffsetDateTime.parse(d.decl().acceptedAt).isBefore(DEC_15)).toList();
        try (PipelineHarness p = new PipelineHarness(c)) {
            // Given 2025 counted up to December 15, in one go, and a minute later
            toDec15.forEach(d -> p.send(d.decl()));
            p.flush();
            p.advance(Duration.ofSeconds(61), Duration.ofSeconds(1));

            // Then the national total was forecast twice: after the first round, and a minute later as of the latest
            // acceptance counted, with the thresholds not crossed yet; the store the API reads has the last one
            long counted = toDec15.stream().mapToLong(TradeYear.Declared::cents).sum();
            List<Forecast> national = p.forecasts().stream().filter(f -> f.key().equals("2025|NATIONAL|KR")).toList();
            assertThat(national).hasSize(2);
            assertThat(national.get(1)).satisfies(f -> {
                assertThat(Money.toCents(f.totalUsd())).isEqualTo(counted);
                assertThat(f.asOf()).isEqualTo(OffsetDateTime.parse(toDec15.get(toDec15.size() - 1).decl().acceptedAt));
                assertThat(f.thresholds()).extracting(t -> t.thresholdUsd().toPlainString())
                        .containsExactly("700000000000.00", "800000000000.00", "900000000000.00", "1000000000000.00");
                assertThat(f.projectedYearEndUsd()).isGreaterThan(f.totalUsd());
                assertThat(f.method()).isNotBlank();
            });
            assertThat(p.storedForecast("2025|NATIONAL|KR")).isEqualTo(national.get(1));
            // (item groups with thresholds are forecast too)
            assertThat(p.forecasts()).extracting(Forecast::key).contains("2025|CATEGORY|SEMICONDUCTORS");

            // When more is counted within the minute, Then no new national forecast until the minute has passed, and
            // then one
            int before = p.forecasts().size();
            year.declarations.stream().filter(d -> !OffsetDateTime.parse(d.decl().acceptedAt).isBefore(DEC_15)).limit(20)
                    .forEach(d -> p.send(d.decl()));
            p.flush();
            assertThat(p.forecasts().subList(before, p.forecasts().size())).extracting(Forecast::key)
                    .doesNotContain("2025|NATIONAL|KR");
            p.advance(Duration.ofSeconds(61), Duration.ofSeconds(1));
            List<Forecast> later = p.forecasts().subList(before, p.forecasts().size());
            assertThat(later).filteredOn(f -> f.key().equals("2025|NATIONAL|KR")).singleElement()
                    .satisfies(f -> assertThat(f.totalUsd()).isGreaterThan(national.get(1).totalUsd()));
        }
    }
}
