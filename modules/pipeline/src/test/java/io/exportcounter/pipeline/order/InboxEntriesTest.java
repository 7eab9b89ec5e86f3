package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a watermark lets through of the entries stage 2 holds. */
class InboxEntriesTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");
    private static final Instant ONE_PM = Instant.parse("2025-12-29T04:00:00Z");

    @Test
    void entries_after_the_watermark_wait_and_so_do_later_entries_of_their_declaration() {
        ChangeEntry early = ChangeEntry.add("A", at(NOON));
        ChangeEntry late = ChangeEntry.add("B", at(ONE_PM));
        // B's amendment moves it before the watermark, but must not be applied before B itself: stage 1 places it
        // no earlier than B's earlier entry.
        ChangeEntry bAmended = new ChangeEntry("B", 1, at(ONE_PM), at(NOON.minusSeconds(60)), ONE_PM);
        ChangeEntry other = ChangeEntry.add("C", at(NOON.plusSeconds(60)));
        InboxEntries inbox = new InboxEntries();
        inbox.add(0, List.of(early, late), new BitSet());
        inbox.add(1, List.of(bAmended, other), new BitSet());

        assertThat(inbox.release(Watermark.at(NOON.plusSeconds(61)))).containsExactly(early, other);
        assertThat(inbox.waiting()).isEqualTo(2);
        // Nothing more until the watermark passes B; then B and its amendment go together, in order
        assertThat(inbox.release(Watermark.at(ONE_PM))).isEmpty();
        assertThat(inbox.release(Watermark.at(ONE_PM.plusSeconds(1)))).containsExactly(late, bAmended);
        assertThat(inbox.waiting()).isZero();
        inbox.removeApplied();
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void a_batch_whose_entries_all_wait_is_passed_over_until_the_watermark_passes_them() {
        InboxEntries inbox = new InboxEntries();
        InboxEntries.Batch b = inbox.add(0, List.of(ChangeEntry.add("A", at(ONE_PM)), ChangeEntry.add("B", at(ONE_PM))),
                new BitSet());
        assertThat(inbox.release(Watermark.at(NOON))).isEmpty();
        assertThat(b.earliestWaiting).isEqualTo(ONE_PM);
        assertThat(b.changed).isFalse();
        // A watermark at 1 p.m. itself holds them: the slowest task may still read more declarations of that second
        assertThat(inbox.release(Watermark.at(ONE_PM))).isEmpty();
        assertThat(inbox.release(Watermark.at(ONE_PM.plusMillis(1)))).hasSize(2);
        assertThat(b.remaining).isZero();
    }

    @Test
    void with_no_watermark_everything_is_released() {
        InboxEntries inbox = new InboxEntries();
        inbox.add(0, List.of(ChangeEntry.add("A", at(ONE_PM))), new BitSet());
        assertThat(inbox.release(Watermark.NONE)).hasSize(1);
    }

    private static Contribution at(Instant t) {
        return new Contribution(100, t, "E1", ExporterSize.SME, "SEMICONDUCTORS", "US", "NORTH_AMERICA");
    }
}
