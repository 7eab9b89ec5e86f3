package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class Year2024Test {
    private static final long BILLION = 100_000_000_000L; // cents

    @Test
    void months_sum_to_683_8_billion_and_700_billion_is_never_reached() {
        SimulatorOptions options = SimulatorOptions.builder().year(2024).declarations(100_000).seed(7).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        List<SimEvent> events = generator.stream().toList();
        YearLedger ledger = YearLedger.replay(events::iterator, 700 * BILLION);

        assertThat(ledger.problems).isEmpty();
        assertThat(generator.plannedCrossing()).isEmpty();
        assertThat(ledger.monthCents(2024)).containsExactly(generator.calibration().monthTargetsCents());
        assertThat(ledger.finalTotal()).isEqualTo(6838 * BILLION / 10);
        assertThat(ledger.crossing).isNull();
        assertThat(ledger.maxRunning).isLessThan(700 * BILLION);
        // 2024 is a leap year: Sunday Dec 31, 2023 to Sunday Dec 29, 2024 is 53 weeks of rates.
        assertThat(ledger.count(SimEvent.Kind.RATE)).isEqualTo(53 * 4);
        assertThat(ledger.rates.get("USD").firstEntry().getValue().doubleValue()).isBetween(1250.0, 1400.0);
        // Each month's first 20 days come to the customs service's published figure, at its share of the scaled month.
        for (int m = 1; m <= 12; m++) {
            LocalDate first = LocalDate.of(2024, m, 1);
            assertThat(ledger.finalCents(first.atStartOfDay(YearLedger.SEOUL).toInstant(),
                    first.plusDays(20).atStartOfDay(YearLedger.SEOUL).toInstant()))
                    .as("2024-%02d, days 1-20", m).isEqualTo(generator.calibration().firstTwentyDaysCents(m));
        }
        // December 2024: $40.301B of $61.38B published, so 65.7% of the month by the 20th.
        assertThat(generator.calibration().firstTwentyDaysCents(12) * 1000 / generator.calibration().monthTargetsCents()[11])
                .isEqualTo(656);
    }
}
