package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.declarations.InMemoryStores;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.testsupport.LogCapture;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Stage 2's inbox across a move of its task, and what it says when entries wait long. */
class InboxTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");
    private static final Instant ONE_PM = Instant.parse("2025-12-29T04:00:00Z");
    private static final Instant HALF_PAST_ONE = Instant.parse("2025-12-29T04:30:00Z");
    private static final Instant THREE_PM = Instant.parse("2025-12-29T06:00:00Z");
    private static final long T0 = 1_000_000;

    @Test
    void a_task_that_said_it_was_idle_stays_idle_when_stage_two_moves_while_its_earlier_batch_waits() {
        // Given task 1's batch waiting for task 0, which is reading at 1 p.m., and then task 1 saying it is idle
        KeyValueStore<Long, byte[]> store = InMemoryStores.longKeyed("inbox");
        Inbox before = new Inbox(1_000, new PipelineStats());
        before.open(store, 2);
        ChangeEntry early = ChangeEntry.add("A", at(HALF_PAST_ONE.minusSeconds(60)));
        before.put(batch(new Position(0, ONE_PM, false)), T0, T0);
        before.put(batch(new Position(1, HALF_PAST_ONE, false), early), T0, T0);
        assertThat(before.release(T0)).isEmpty();
        before.roundDone();
        before.put(batch(new Position(1, HALF_PAST_ONE, true)), T0, T0);
        assertThat(before.release(T0)).isEmpty();
        before.roundDone();

        // When stage 2's task moves to another instance, which opens the same store (its earlier batch still in it)
        Inbox after = new Inbox(1_000, new PipelineStats());
        after.open(store, 2);

        // Then task 1 is still idle: once task 0 reads on to 3 p.m., both its entry and task 1's are applied
        ChangeEntry late = ChangeEntry.add("B", at(THREE_PM.minusSeconds(60)));
        after.put(batch(new Position(0, THREE_PM, false), late), T0, T0);
        assertThat(after.release(T0)).containsExactly(early, late);
        after.roundDone();
        assertThat(after.waiting()).isZero();
    }

    @Test
    void entries_waiting_a_minute_for_a_task_are_logged_once_with_the_task_and_again_when_they_go() {
        Inbox inbox = new Inbox(1_000, new PipelineStats());
        inbox.open(InMemoryStores.longKeyed("inbox"), 2);
        try (LogCapture logs = new LogCapture()) {
            // Given task 1 reading at noon, and task 0's entry of 1 p.m. waiting for it
            inbox.put(batch(new Position(1, NOON, false)), T0, T0);
            inbox.put(batch(new Position(0, ONE_PM.plusSeconds(10), false), ChangeEntry.add("A", at(ONE_PM))), T0, T0);
            assertThat(inbox.release(T0)).isEmpty();
            inbox.roundDone();

            // When rounds go by with nothing applied: silent for 59 s, one line at 60 s, none after
            assertThat(inbox.release(T0 + 59_000)).isNull();
            assertThat(stallLines(logs)).isEmpty();
            assertThat(inbox.release(T0 + 60_000)).isNull();
            assertThat(inbox.release(T0 + 120_000)).isNull();
            assertThat(stallLines(logs)).containsExactly("WARN Stage 2 has applied no change entry for 60 s: 1 wait for"
                    + " stage-1 tasks that have read only up to 2025-12-29T03:00:00Z (partition 1 reading, at 2025-12-29T03:00:00Z); the last batch arrived 60 s ago");

            // Then when task 1 reads past the entry, it is applied, and that is said too
            inbox.put(batch(new Position(1, ONE_PM.plusSeconds(1), false)), T0, T0);
            assertThat(inbox.release(T0 + 130_000)).hasSize(1);
            assertThat(stallLines(logs)).last().isEqualTo("INFO Stage 2 applies change entries again, after 130 s with none applied");
        }
    }

    private static byte[] batch(Position p, ChangeEntry... entries) {
        return ChangeCodec.encodeBatch(p, List.of(entries));
    }

    private static List<String> stallLines(LogCapture logs) {
        return logs.events().stream().filter(e -> e.getLoggerName().equals(Inbox.class.getName()))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    private static Contribution at(Instant t) {
        return new Contribution(100, t, "E1", ExporterSize.SME, "SEMICONDUCTORS", "US", "NORTH_AMERICA");
    }
}
