package io.exportcounter.pipeline.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Stage 1's pending changes: kept in memory, stored at commits, forwarded as batches at flushes. */
class PendingChangesTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");
    private static final ChangeCodec.Position POSITION = new ChangeCodec.Position(3, NOON.plusSeconds(3600), false);

    private final KeyValueStore<Long, byte[]> store = InMemoryStores.longKeyed("pending");
    private final List<byte[]> sent = new ArrayList<>();

    @Test
    void a_flush_with_nothing_pending_sends_nothing() {
        // Given nothing appended
        PendingChanges pending = recovered();

        // When it flushes, Then it sends no batch and says so
        assertNothingLeft(pending);
    }

    @Test
    void entries_flushed_before_any_commit_go_as_one_batch_in_order_with_the_position() {
        // Given entries appended with no commit since
        PendingChanges pending = recovered();
        List<ChangeEntry> entries = List.of(add("A", 100), add("B", 200), remove("A", 100));
        entries.forEach(pending::append);

        // When it flushes
        boolean flushed = pending.flush(POSITION, sent::add);

        // Then one batch carries them, in order, with the position
        assertThat(flushed).isTrue();
        assertThat(sent).hasSize(1);
        ChangeCodec.Batch batch = ChangeCodec.decode(sent.get(0));
        assertThat(batch.position()).isEqualTo(POSITION);
        assertThat(batch.entries()).containsExactlyElementsOf(entries);
        // And nothing went into the store, and nothing is pending any more
        assertNothingLeft(pending);
    }

    @Test
    void entries_stored_at_a_commit_and_entries_in_memory_are_flushed_together_in_append_order() {
        // Given entries appended, a commit, and more entries appended
        PendingChanges pending = recovered();
        List<ChangeEntry> entries = List.of(add("A", 100), add("B", 200), remove("A", 100), add("C", 300));
        pending.append(entries.get(0));
        pending.append(entries.get(1));
        pending.storeChunks();
        assertThat(InMemoryStores.keys(store)).hasSize(1);
        pending.append(entries.get(2));
        pending.append(entries.get(3));

        // When it flushes
        assertThat(pending.flush(POSITION, sent::add)).isTrue();

        // Then every entry is sent, in append order, and the stored block is gone
        assertThat(entriesOf(sent)).containsExactlyElementsOf(entries);
        assertThat(ChangeCodec.decode(sent.get(sent.size() - 1)).position()).isEqualTo(POSITION);
        assertThat(InMemoryStores.keys(store)).isEmpty();
        // And a commit right after the flush stores nothing
        pending.storeChunks();
        assertThat(InMemoryStores.keys(store)).isEmpty();
    }

    @Test
    void entries_stored_before_a_restart_are_sent_at_the_first_flush_after_it() {
        // Given entries stored at a commit, then a restart on the same store
        PendingChanges after = restartedAfterStoring(add("A", 100), remove("A", 100));

        // When it flushes with nothing appended since
        assertThat(after.flush(POSITION, sent::add)).isTrue();

        // Then the stored entries are sent, with the position, and the store is left empty
        assertThat(entriesOf(sent)).containsExactly(add("A", 100), remove("A", 100));
        assertThat(ChangeCodec.decode(sent.get(sent.size() - 1)).position()).isEqualTo(POSITION);
        assertNothingLeft(after);
    }

    @Test
    void entries_stored_before_a_restart_go_before_those_appended_after_it() {
        // Given entries stored at a commit (two commits: two blocks), then a restart on the same store
        PendingChanges before = recovered();
        before.append(add("A", 100));
        before.append(add("B", 200));
        before.storeChunks();
        before.append(remove("A", 100));
        before.storeChunks();
        assertThat(InMemoryStores.keys(store)).hasSize(2);
        PendingChanges after = recovered();

        // When it appends more, commits, and flushes
        after.append(add("C", 300));
        after.storeChunks();
        after.append(add("D", 400));
        assertThat(after.flush(POSITION, sent::add)).isTrue();

        // Then the stored entries come first, then the new ones, each once; the store is left empty
        assertThat(entriesOf(sent)).containsExactly(add("A", 100), add("B", 200), remove("A", 100), add("C", 300),
                add("D", 400));
        assertNothingLeft(after);
    }

    @Test
    void a_restart_with_nothing_stored_flushes_nothing() {
        // Given a flush that emptied the store, then a restart
        PendingChanges before = recovered();
        before.append(add("A", 100));
        before.storeChunks();
        before.flush(POSITION, b -> { });
        PendingChanges after = recovered();

        // When it flushes, Then nothing is sent again
        assertNothingLeft(after);
    }

    @Test
    void the_time_the_task_had_read_to_at_a_commit_survives_a_restart_and_is_no_block() {
        // Given a task that read up to 1:03:27 p.m., then a commit, then read further without a commit
        PendingChanges before = recovered();
        Instant committed = Instant.parse("2025-12-29T04:03:27Z");
        before.readUpTo(committed);
        before.append(add("A", 100));
        before.storeChunks();
        before.readUpTo(committed.plusSeconds(5));

        // When it restarts, Then it knows the time of the commit, and that time is never sent as a change
        PendingChanges after = recovered();
        assertThat(after.readUpTo()).isEqualTo(committed);
        after.flush(POSITION, sent::add);
        assertThat(entriesOf(sent)).extracting(ChangeEntry::declarationId).containsExactly("A");
        assertThat(InMemoryStores.keys(store)).containsExactly(PendingChanges.READ_UP_TO_KEY);
    }

    @Test
    void many_entries_go_as_several_batches_of_bounded_size_and_only_the_last_carries_the_watermark() {
        // Given entries worth several chunks, some stored at a commit and some in memory
        PendingChanges pending = recovered();
        List<ChangeEntry> entries = new ArrayList<>();
        long bytes = 0;
        int largestEntry = 0;
        for (int i = 0; bytes < 4L * PendingChanges.MAX_CHUNK_BYTES; i++) {
            ChangeEntry e = i % 5 == 4 ? new ChangeEntry("D" + (i - 1), contribution(i - 1), contribution(i)) : add("D" + i, i);
            pending.append(e);
            entries.add(e);
            int size = encodedSize(e);
            bytes += size;
            largestEntry = Math.max(largestEntry, size);
            if (entries.size() == 5_000) {
                pending.storeChunks();
            }
        }
        assertThat(InMemoryStores.keys(store)).isNotEmpty();

        // When it flushes
        assertThat(pending.flush(POSITION, sent::add)).isTrue();

        // Then several batches, each at most a chunk plus the header and one entry
        assertThat(sent).hasSizeGreaterThanOrEqualTo(4);
        int header = 1 + 4 + 1 + 8 + 4;
        for (byte[] batch : sent) {
            assertThat(batch.length).isLessThanOrEqualTo(PendingChanges.MAX_CHUNK_BYTES + header + largestEntry);
        }
        // And only the last moves the watermark; the others name the same partition, not idle
        List<ChangeCodec.Batch> batches = sent.stream().map(ChangeCodec::decode).toList();
        for (ChangeCodec.Batch b : batches.subList(0, batches.size() - 1)) {
            assertThat(b.position()).isEqualTo(new ChangeCodec.Position(POSITION.partition(), null, false));
        }
        assertThat(batches.get(batches.size() - 1).position()).isEqualTo(POSITION);
        // And every entry is there once, in order
        assertThat(entriesOf(sent)).containsExactlyElementsOf(entries);
        assertThat(InMemoryStores.keys(store)).isEmpty();
    }

    @Test
    void a_change_s_place_and_revision_survive_memory_the_store_and_a_restart() {
        // Given first changes and later ones, some stored before a restart and some appended after it
        Instant earlier = Instant.parse("2025-12-29T04:03:00Z");
        PendingChanges after = restartedAfterStoring(ChangeEntry.add("A", contribution(100)),
                new ChangeEntry("B", 1, contribution(200), contribution(250), earlier));
        after.append(new ChangeEntry("A", 2, contribution(100), contribution(150), earlier.plusSeconds(60)));
        after.append(ChangeEntry.add("C", contribution(300)));

        // When it flushes
        after.flush(POSITION, sent::add);

        // Then each entry comes back with its place in time and its revision
        List<ChangeEntry> out = entriesOf(sent);
        assertThat(out).extracting(ChangeEntry::declarationId).containsExactly("A", "B", "A", "C");
        assertThat(out).extracting(ChangeEntry::orderedAt).containsExactly(contribution(100).acceptedAt(), earlier,
                earlier.plusSeconds(60), contribution(300).acceptedAt());
        assertThat(out).extracting(ChangeEntry::revision).containsExactly(0, 1, 2, 0);
        assertThat(out.get(1).added()).isEqualTo(contribution(250));
    }

    /** Pending changes restarted on this test's store after {@code entries} were appended and stored at a commit. */
    private PendingChanges restartedAfterStoring(ChangeEntry... entries) {
        PendingChanges before = recovered();
        for (ChangeEntry e : entries) {
            before.append(e);
        }
        before.storeChunks();
        return recovered();
    }

    /** Nothing is left: the store is empty, and a flush sends no batch and says so. */
    private void assertNothingLeft(PendingChanges pending) {
        assertThat(InMemoryStores.keys(store)).isEmpty();
        int sentBefore = sent.size();
        assertThat(pending.flush(POSITION, sent::add)).isFalse();
        assertThat(sent).hasSize(sentBefore);
    }

    /** Pending changes on this test's store, recovered as at a task's start (or restart). */
    private PendingChanges recovered() {
        PendingChanges pending = new PendingChanges(store);
        pending.recover();
        return pending;
    }

    private static List<ChangeEntry> entriesOf(List<byte[]> batches) {
        List<ChangeEntry> out = new ArrayList<>();
        for (byte[] b : batches) {
            out.addAll(ChangeCodec.decode(b).entries());
        }
        return out;
    }

    private static int encodedSize(ChangeEntry e) {
        BinaryWriter w = new BinaryWriter(128);
        ChangeCodec.writeEntry(w, e);
        return w.size();
    }


    private static ChangeEntry add(String id, long cents) {
        return ChangeEntry.add(id, contribution(cents));
    }

    private static ChangeEntry remove(String id, long cents) {
        return ChangeEntry.remove(id, contribution(cents));
    }

    private static Contribution contribution(long cents) {
        return new Contribution(cents, NOON.plusSeconds(cents), "E" + cents % 7, ExporterSize.SME, "SEMICONDUCTORS", "US",
                "NORTH_AMERICA");
    }
}
