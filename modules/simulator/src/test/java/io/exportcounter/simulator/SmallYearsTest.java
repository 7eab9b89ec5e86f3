package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Small years (demos, integration tests) must be as exact as the big one. */
class SmallYearsTest {
    private static final long THRESHOLD = 70_000_000_000_000L;

    @ParameterizedTest(name = "{0} declarations, seed {1}")
    @CsvSource({"1000, 1", "5000, 2", "10000, 3", "20000, 4", "20000, 5", "30000, 20251229"})
    void the_2025_crossing_is_exact_whatever_the_size(int declarations, long seed) {
        SimulatorOptions options = SimulatorOptions.builder().declarations(declarations).seed(seed).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        List<SimEvent> events = generator.stream().toList();
        YearLedger ledger = YearLedger.replay(events::iterator, THRESHOLD);

        assertThat(ledger.problems).isEmpty();
        assertThat(ledger.count(SimEvent.Kind.ACCEPT)).isEqualTo(declarations);
        assertThat(ledger.monthCents(2025)).containsExactly(generator.calibration().monthTargetsCents());
        assertThat(ledger.crossing).isNotNull();
        assertThat(ledger.crossing.declaration().acceptedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(ledger.minAfterCrossing).isGreaterThanOrEqualTo(THRESHOLD);
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"11", "12", "13"})
    void heavy_corrections_still_cross_on_time(long seed) {
        SimulatorOptions options = SimulatorOptions.builder().declarations(20_000).seed(seed)
                .amendShare(0.2).cancelShare(0.1).redeliveryShare(0.1).malformedShare(0.05).lateRateShare(0.5).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        List<SimEvent> events = generator.stream().toList();
        YearLedger ledger = YearLedger.replay(events::iterator, THRESHOLD);

        assertThat(ledger.problems).isEmpty();
        assertThat(ledger.monthCents(2025)).containsExactly(generator.calibration().monthTargetsCents());
        assertThat(ledger.crossing.declaration().acceptedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(ledger.minAfterCrossing).isGreaterThanOrEqualTo(THRESHOLD);
    }
}
