package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptanceOrderTest {
    private static Contribution at(String instant) {
        return new Contribution(100, Instant.parse(instant), "E1", ExporterSize.SME, "SEMICONDUCTORS", "US", "USA");
    }

    @Test
    void entries_are_sorted_by_acceptance_time_and_a_declaration_keeps_its_own_order() {
        ChangeEntry b = ChangeEntry.add("B", at("2025-12-29T04:05:00Z"));
        ChangeEntry a = ChangeEntry.add("A", at("2025-12-29T04:03:00Z"));
        // A later amendment of B that moves it earlier must not overtake B's own first entry.
        ChangeEntry bAmended = new ChangeEntry("B", at("2025-12-29T04:05:00Z"), at("2025-12-29T04:01:00Z"));
        ChangeEntry c = ChangeEntry.add("C", at("2025-12-29T04:04:00Z"));

        List<ChangeEntry> ordered = AcceptanceOrder.sort(List.of(b, a, bAmended, c));

        assertThat(ordered).containsExactly(a, c, b, bAmended);
    }

    @Test
    void equal_times_keep_arrival_order() {
        ChangeEntry x = ChangeEntry.add("X", at("2025-12-29T04:03:00Z"));
        ChangeEntry y = ChangeEntry.add("Y", at("2025-12-29T04:03:00Z"));
        assertThat(AcceptanceOrder.sort(List.of(y, x))).containsExactly(y, x);
    }
}
