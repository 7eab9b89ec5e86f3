package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.Decl;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where an amendment or a withdrawal goes in the order milestones are decided in (docs/architecture.md, "Acceptance
 * order"): at the time it was made when it says so, else at the latest time its partition had been read to.
 */
class CorrectionOrderTest {
    private static final Decl D1 = Decl.accept("D-1").at("2025-12-29T13:00:00+09:00").amount("USD", "900.00");
    private static final Decl D2 = Decl.accept("D-2").at("2025-12-29T13:05:00+09:00").amount("USD", "60.00");

    private static List<Milestone> crossings(Decl... sent) {
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092")
                .with("milestones.thresholds.NATIONAL.KR", "1000");
        try (PipelineHarness p = new PipelineHarness(c)) {
            for (Decl d : sent) {
                p.send(d);
            }
            return p.flush().milestones();
        }
    }

    @Test
    void an_amendment_that_says_when_it_was_made_is_placed_then() {
        // Given 900.00 at 1:00 p.m. and 60.00 at 1:05 p.m., When the first is amended to 950.00 at 1:10 p.m.
        List<Milestone> milestones = crossings(D1, D2,
                D1.amend(1).amount("USD", "950.00").correctedAt("2025-12-29T13:10:00+09:00"));

        // Then the total is 960.00 until 1:10 p.m., and the amendment takes it to 1010.00: it crosses, and the
        // milestone names the amended declaration with its acceptance time
        assertThat(milestones).singleElement().satisfies(m -> {
            assertThat(m.declarationId()).isEqualTo("D-1");
            assertThat(m.totalUsd()).hasToString("1010.00");
            assertThat(m.crossedAtLocalTime()).isEqualTo("1:00 p.m.");
        });
    }

    @Test
    void an_amendment_that_does_not_say_when_it_was_made_is_placed_at_the_latest_time_its_partition_was_read_to() {
        // Given the same declarations, When the amendment does not say when it was made
        List<Milestone> milestones = crossings(D1, D2, D1.amend(1).amount("USD", "950.00"));

        // Then it is placed at 1:05 p.m., the latest time read before it, and goes before D-2 (declarationId order):
        // 950.00, then D-2 takes the total to 1010.00 and crosses
        assertThat(milestones).singleElement().satisfies(m -> {
            assertThat(m.declarationId()).isEqualTo("D-2");
            assertThat(m.totalUsd()).hasToString("1010.00");
        });
    }

    /** 50.00 at 1:20 p.m., from a declaration whose id sorts before D-2's. */
    private static final Decl C3 = Decl.accept("C-3").at("2025-12-29T13:20:00+09:00").amount("USD", "50.00");

    @Test
    void a_withdrawal_read_in_its_time_goes_before_what_follows_it() {
        // Given 900.00 at 1:00 p.m. and 60.00 at 1:05 p.m., When D-2 is withdrawn at 1:15 p.m. and then C-3 comes
        List<Milestone> milestones = crossings(D1, D2, D2.cancel(1).correctedAt("2025-12-29T13:15:00+09:00"), C3);

        // Then the total goes 960.00, 900.00, 950.00: no milestone
        assertThat(milestones).isEmpty();
    }

    @Test
    void a_withdrawal_read_after_later_declarations_is_placed_after_them() {
        // Given the same, When customs sends the withdrawal of 1:15 p.m. only after C-3 of 1:20 p.m.
        List<Milestone> milestones = crossings(D1, D2, C3, D2.cancel(1).correctedAt("2025-12-29T13:15:00+09:00"));

        // Then it is placed at 1:20 p.m., the time its partition had been read to, after C-3 (declarationId order):
        // C-3 takes the total from 960.00 to 1010.00 and crosses, and the withdrawal retracts it. Placed by its own
        // time it would have gone before C-3, but stage 2 may already have applied C-3 by the time it arrives, so
        // only this placement is the same in every run.
        assertThat(milestones).extracting(Milestone::type, Milestone::declarationId)
                .containsExactly(tuple(MilestoneType.CROSSED, "C-3"),
                        tuple(MilestoneType.RETRACTED, "D-2"));
    }
}
