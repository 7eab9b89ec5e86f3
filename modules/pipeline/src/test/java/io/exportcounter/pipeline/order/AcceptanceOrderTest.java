package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of a round's entries: time, then declarationId, then revision; never arrival. */
class AcceptanceOrderTest {
    private static Contribution at(String instant) {
        return new Contribution(100, Instant.parse(instant), "E1", ExporterSize.SME, "SEMICONDUCTORS", "US", "USA");
    }

    @Test
    void entries_are_sorted_by_their_place_in_time_and_a_declaration_keeps_its_own_order() {
        ChangeEntry b = ChangeEntry.add("B", at("2025-12-29T04:05:00Z"));
        ChangeEntry a = ChangeEntry.add("A", at("2025-12-29T04:03:00Z"));
        // A later amendment of B that moves it earlier is placed by stage 1 no earlier than B's first entry.
        ChangeEntry bAmended = new ChangeEntry("B", 1, at("2025-12-29T04:05:00Z"), at("2025-12-29T04:01:00Z"),
                Instant.parse("2025-12-29T04:05:00Z"));
        ChangeEntry c = ChangeEntry.add("C", at("2025-12-29T04:04:00Z"));

        List<ChangeEntry> ordered = AcceptanceOrder.sort(List.of(bAmended, b, a, c));

        assertThat(ordered).containsExactly(a, c, b, bAmended);
    }

    @Test
    void entries_of_the_same_instant_go_in_declaration_id_order_whatever_their_arrival() {
        ChangeEntry x = ChangeEntry.add("43210-25-0000002X", at("2025-12-29T04:03:27Z"));
        ChangeEntry y = ChangeEntry.add("43210-25-0000001Y", at("2025-12-29T04:03:27Z"));
        assertThat(AcceptanceOrder.sort(List.of(x, y))).containsExactly(y, x);
        assertThat(AcceptanceOrder.sort(List.of(y, x))).containsExactly(y, x);
    }
}
