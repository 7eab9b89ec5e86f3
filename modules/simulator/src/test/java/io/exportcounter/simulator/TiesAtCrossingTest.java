package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tie case: several declarations accepted in the crossing's second, any one of which would cross alone. */
class TiesAtCrossingTest {
    private static final long THRESHOLD = 70_000_000_000_000L; // $700B in cents
    private static final Instant CROSSING_SECOND = Instant.parse("2025-12-29T04:03:27Z");

    @Test
    void the_crossing_second_holds_declarations_that_each_cross_alone_and_the_lowest_id_is_the_crossing_one() {
        // Given a small 2025 with eight declarations in the crossing's second
        SimulatorOptions options = SimulatorOptions.builder().declarations(20_000).seed(5).declarationsAtCrossing(8)
                .progress(false).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);

        // When it is generated
        long before = 0;
        long yearEnd = 0;
        List<SimEvent> tied = new ArrayList<>();
        while (generator.hasNext()) {
            SimEvent e = generator.next();
            if (e.kind() == SimEvent.Kind.ACCEPT && e.time().equals(CROSSING_SECOND)) {
                tied.add(e);
            } else if (e.time().isBefore(CROSSING_SECOND)) {
                before += e.usdDeltaCents();
            }
            yearEnd += e.usdDeltaCents();
        }

        // Then eight distinct declarations share the second, with distinct values, each enough alone to cross
        long beforeSecond = before;
        assertThat(tied).hasSize(8);
        assertThat(tied).extracting(SimEvent::key).doesNotHaveDuplicates();
        assertThat(tied).extracting(SimEvent::usdDeltaCents).doesNotHaveDuplicates()
                .allSatisfy(cents -> assertThat(beforeSecond + cents).isGreaterThanOrEqualTo(THRESHOLD));
        assertThat(before).isLessThan(THRESHOLD);
        // And the crossing declaration is the lowest declarationId among them (CONTRACT.md section 5), with its value
        SimEvent lowest = tied.stream().min((a, b) -> a.key().compareTo(b.key())).orElseThrow();
        assertThat(generator.crossingDeclarationId()).isEqualTo(lowest.key());
        assertThat(generator.crossingDeclarationCents()).isEqualTo(lowest.usdDeltaCents());
        // And the year still ends on its calibration to the cent
        assertThat(yearEnd).isEqualTo(70_970_000_000_000L);
    }
}
