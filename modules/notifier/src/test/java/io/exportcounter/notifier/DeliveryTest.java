package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private final Notices notices = Notices.load(NotifierConfig.defaults());

    @Test
    void the_occurrence_key_is_derived_from_the_event_alone() throws Exception {
        Milestone m = Milestones.korea700B();
        // As read back from the topic after a restart: the same key.
        Milestone reread = ContractJson.instance().parseMilestone(ContractJson.instance().write(m));

        assertThat(Delivery.of(reread, notices.write(reread)).occurrenceKey())
                .isEqualTo(Delivery.of(m, notices.write(m)).occurrenceKey())
                .matches("2025\\|NATIONAL\\|KR\\|700000000000\\|CROSSED\\|2025-12-29T04:03:27\\.412Z\\|[0-9a-f]{8}");
    }

    @Test
    void a_re_crossing_after_a_retraction_is_a_new_occurrence() {
        Milestone crossed = Milestones.korea700B();
        Milestone retracted = Milestones.retracted(crossed, "699990000000.00", "2025-12-29T09:00:00+09:00",
                Instant.parse("2025-12-30T01:00:00Z"));
        Milestone again = Milestones.threshold("2025", crossed.dimension(), "KR", "700000000000.00", "700000000500.00",
                "2025-12-30T10:30:00+09:00", Instant.parse("2025-12-30T01:30:00.001Z"));
        // Even detected in the same pipeline batch (same detectedAt), a different crossing is another key.
        Milestone sameBatch = new Milestone(crossed.milestoneId(), crossed.kind(), MilestoneType.CROSSED, "2025",
                crossed.dimension(), "KR", crossed.thresholdUsd(), new java.math.BigDecimal("700000000777.00"),
                crossed.crossedAt(), crossed.crossedAtLocalTime(), "43210-25-0000002X", crossed.detectedAt(), true);

        String k1 = Delivery.of(crossed, notices.write(crossed)).occurrenceKey();
        assertThat(Delivery.of(retracted, notices.write(retracted)).occurrenceKey()).isNotEqualTo(k1).contains("|RETRACTED|");
        assertThat(Delivery.of(again, notices.write(again)).occurrenceKey()).isNotEqualTo(k1);
        assertThat(Delivery.of(sameBatch, notices.write(sameBatch)).occurrenceKey()).isNotEqualTo(k1);
    }
}
