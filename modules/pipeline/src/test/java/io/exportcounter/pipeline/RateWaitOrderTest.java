package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.Decl;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A declaration waiting for its exchange rate holds its task's place for {@code order.wait-for-rates.ms}: if the rate
 * comes within it, the declaration is counted in its place; if later, where the rate arrives.
 */
class RateWaitOrderTest {
    /** 100,000 EUR at 1:00 p.m. (150,000,000 KRW at 1,500 KRW/EUR: 100,000.00 USD at 1,500 KRW/USD). */
    private static final Decl IN_EUR = Decl.accept("B-EUR").at("2025-12-29T13:00:00+09:00").amount("EUR", "100000.00");
    /** 100,000.00 USD at 1:05 p.m.: either one takes the total from 0 to the threshold. */
    private static final Decl IN_USD = Decl.accept("A-USD").at("2025-12-29T13:05:00+09:00").amount("USD", "100000.00");

    private static List<Milestone> crossingWhenTheEuroRateComesAfter(Duration delay) {
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092")
                .with("milestones.thresholds.NATIONAL.KR", "100000")
                .with("order.wait-for-rates.ms", "5000");
        try (PipelineHarness p = new PipelineHarness(c)) {
            // Given the dollar's rate, but not yet the euro's, and the euro declaration read before the dollar one
            p.rate("USD", "1500.00", "2025-12-28T00:00:00+09:00");
            p.send(IN_EUR).send(IN_USD);
            p.advance(delay, Duration.ofMillis(20));
            // When the euro's rate arrives after the delay
            p.rate("EUR", "1500.00", "2025-12-28T00:00:00+09:00");
            return p.flush().milestones();
        }
    }

    @Test
    void a_declaration_whose_rate_comes_within_the_wait_is_counted_in_its_place() {
        // Then the euro declaration, accepted first, crosses
        assertThat(crossingWhenTheEuroRateComesAfter(Duration.ofSeconds(2))).singleElement()
                .satisfies(m -> assertThat(m.declarationId()).isEqualTo("B-EUR"));
    }

    @Test
    void a_declaration_whose_rate_comes_after_the_wait_is_counted_where_the_rate_arrives() {
        // Then the totals went on without it, and the dollar declaration crossed
        assertThat(crossingWhenTheEuroRateComesAfter(Duration.ofSeconds(8))).singleElement()
                .satisfies(m -> assertThat(m.declarationId()).isEqualTo("A-USD"));
    }

    @Test
    void an_amendment_read_while_its_declaration_waits_for_a_rate_waits_behind_it_and_each_counts_in_its_place() {
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092")
                .with("milestones.thresholds.NATIONAL.KR", "100000");
        try (PipelineHarness p = new PipelineHarness(c)) {
            // Given the euro declaration of 1:00 p.m. waiting for its rate, the dollar one of 1:05 p.m., and the euro
            // one amended down to 50,000 EUR at 1:10 p.m., all read before the euro's rate arrives
            p.rate("USD", "1500.00", "2025-12-28T00:00:00+09:00");
            p.send(IN_EUR).send(IN_USD).send(IN_EUR.amend(1).amount("EUR", "50000.00").correctedAt("2025-12-29T13:10:00+09:00"));
            p.advance(Duration.ofSeconds(1), Duration.ofMillis(20));

            // When the rate arrives
            p.rate("EUR", "1500.00", "2025-12-28T00:00:00+09:00");
            List<Milestone> milestones = p.flush().milestones();

            // Then the total went 100,000 at 1:00 p.m. (the euro one crosses), 200,000 at 1:05, 150,000 at 1:10:
            // as if the rate had been there all along, and the amendment did not retract anything
            assertThat(milestones).singleElement().satisfies(m -> {
                assertThat(m.declarationId()).isEqualTo("B-EUR");
                assertThat(m.totalUsd()).hasToString("100000.00");
            });
            assertThat(p.usd("2025|NATIONAL|KR")).isEqualTo("150000.00");
        }
    }
}
