package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a forecast gets a heads-up: the first time a threshold's expected time falls within the horizon of the
 * forecast's asOf. The rule judges one forecast; "first" comes from the delivery records, keyed by the occurrence key,
 * which this test stands in for with a set of keys done.
 */
class ApproachingRuleTest {
    private final ApproachingRule rule = new ApproachingRule(Duration.ofHours(24));

    @Test
    void a_threshold_expected_within_the_horizon_of_asOf_is_due_one_beyond_it_is_not() {
        assertThat(rule.due(Forecasts.korea("2025-12-27T18:00:00+09:00", "2025-12-29T14:20:00+09:00"))).isEmpty();
        // Exactly 24 hours ahead is within.
        assertThat(rule.due(Forecasts.korea("2025-12-28T14:20:00+09:00", "2025-12-29T14:20:00+09:00"))).hasSize(1);
        List<HeadsUp> due = rule.due(Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00"));
        assertThat(due).singleElement().satisfies(h -> {
            assertThat(h.milestoneId()).isEqualTo("2025|NATIONAL|KR|700000000000");
            assertThat(h.occurrenceKey()).isEqualTo("2025|NATIONAL|KR|700000000000|APPROACHING");
            assertThat(h.threshold().expectedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T14:20:00+09:00"));
        });
        // One minute beyond is not.
        assertThat(rule.due(Forecasts.korea("2025-12-28T14:19:00+09:00", "2025-12-29T14:20:00+09:00"))).isEmpty();
    }

    @Test
    void a_threshold_the_projection_does_not_reach_this_year_does_nothing() {
        Forecast f = Forecasts.korea("2025-12-31T20:00:00+09:00", null);
        assertThat(f.thresholds()).allSatisfy(t -> assertThat(t.expectedAt()).isNull());

        assertThat(rule.due(f)).isEmpty();
    }

    @Test
    void a_heads_up_goes_out_the_first_time_only_not_again_for_later_forecasts_within_the_horizon() {
        // Given the forecasts of December, one an hour from the 27th, the expected time moving as the days are counted
        List<Forecast> december = new ArrayList<>();
        OffsetDateTime asOf = OffsetDateTime.parse("2025-12-27T09:00:00+09:00");
        OffsetDateTime expected = OffsetDateTime.parse("2025-12-29T16:40:00+09:00");
        for (int h = 0; h < 52; h++) {
            december.add(Forecasts.korea(asOf.plusHours(h).toString(), expected.minusMinutes(3L * h).toString()));
        }
        // and one that expects the threshold no longer this year (a big cancellation), then again
        december.add(Forecasts.korea("2025-12-29T13:00:00+09:00", null));
        december.add(Forecasts.korea("2025-12-29T14:00:00+09:00", "2025-12-29T15:00:00+09:00"));

        // When each is judged, and what is due sent unless done
        Set<String> done = new HashSet<>();
        List<String> sent = new ArrayList<>();
        List<OffsetDateTime> sentAsOf = new ArrayList<>();
        for (Forecast f : december) {
            for (HeadsUp h : rule.due(f)) {
                if (done.add(h.occurrenceKey())) {
                    sent.add(h.occurrenceKey());
                    sentAsOf.add(f.asOf());
                }
            }
        }

        // Then one heads-up, from the first forecast within 24 hours of its expected time
        assertThat(sent).containsExactly("2025|NATIONAL|KR|700000000000|APPROACHING");
        OffsetDateTime first = sentAsOf.get(0);
        Forecast firstWithin = december.stream().filter(f -> f.asOf().isEqual(first)).findFirst().orElseThrow();
        assertThat(Duration.between(first, firstWithin.thresholds().get(0).expectedAt())).isLessThanOrEqualTo(Duration.ofHours(24));
        Forecast before = december.get(december.indexOf(firstWithin) - 1);
        assertThat(Duration.between(before.asOf(), before.thresholds().get(0).expectedAt())).isGreaterThan(Duration.ofHours(24));
        // and the later forecasts within the horizon were due too, under the same key
        assertThat(december.stream().filter(f -> !rule.due(f).isEmpty()).count()).isGreaterThan(10);
    }

    @Test
    void each_threshold_and_total_is_its_own_occurrence() {
        OffsetDateTime at = OffsetDateTime.parse("2025-12-29T14:20:00+09:00");
        Forecast both = Forecasts.forecast(Dimension.NATIONAL, "KR", "2025-12-29T09:00:00+09:00", List.of(
                Forecasts.threshold("700000000000.00", at, null, null, null),
                Forecasts.threshold("710000000000.00", at.plusHours(9), at, null, "0.55")));
        Forecast chips = Forecasts.forecast(Dimension.CATEGORY, "SEMICONDUCTORS", "2025-12-29T09:00:00+09:00", List.of(
                Forecasts.threshold("200000000000.00", at, null, null, null)));

        assertThat(rule.due(both)).extracting(HeadsUp::occurrenceKey).containsExactly(
                "2025|NATIONAL|KR|700000000000|APPROACHING", "2025|NATIONAL|KR|710000000000|APPROACHING");
        assertThat(rule.due(chips)).extracting(HeadsUp::occurrenceKey)
                .containsExactly("2025|CATEGORY|SEMICONDUCTORS|200000000000|APPROACHING");
        // A longer horizon sees further.
        assertThat(new ApproachingRule(Duration.ofDays(3)).due(Forecasts.korea("2025-12-27T09:00:00+09:00",
                "2025-12-29T14:20:00+09:00"))).hasSize(1);
    }
}
