package io.exportcounter.pipeline.declarations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.Contribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The ledger's local store, its journal, and recovery of the one from the other. */
class LedgerTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");

    /** The task's stores: the ledger's local store, and its journal (changelogged). */
    private final KeyValueStore<String, byte[]> local = emptyLocal();
    private final KeyValueStore<Long, byte[]> journal = emptyJournal();

    @Test
    void a_lost_local_store_is_rebuilt_from_the_whole_journal_with_the_latest_entry_of_each_declaration() {
        // Given entries written in two blocks (each written as at a commit), declaration A twice
        Ledger ledger = new Ledger(local, journal);
        assertRecovered(ledger.recover(), 0, 0, 0);
        ledger.put("A", LedgerEntry.counted(1, contribution(100)));
        ledger.put("B", LedgerEntry.waiting(1, "EUR"));
        ledger.writeBlock();
        ledger.put("A", LedgerEntry.counted(2, contribution(250)));
        ledger.put("C", LedgerEntry.cancelled(3));
        ledger.writeBlock();

        // When the local store is lost and a new ledger on an empty one recovers from the same journal
        Ledger restored = new Ledger(emptyLocal(), journal);
        Ledger.Recovery recovery = restored.recover();

        // Then every write is replayed, from block 0, and each declaration reads as last written
        assertRecovered(recovery, 4, 2, 0);
        assertThat(restored.get("A")).isEqualTo(LedgerEntry.counted(2, contribution(250)));
        assertThat(restored.get("B")).isEqualTo(LedgerEntry.waiting(1, "EUR"));
        assertThat(restored.get("C")).isEqualTo(LedgerEntry.cancelled(3));
    }

    @Test
    void a_clean_restart_replays_only_from_the_marker_and_new_writes_go_to_a_block_after_the_journals_last() {
        // Given a ledger that wrote two blocks, the second at the commit before its task closed
        Ledger before = started();
        before.put("A", LedgerEntry.counted(1, contribution(100)));
        before.put("B", LedgerEntry.waiting(1, "JPY"));
        before.writeBlock();
        before.put("C", LedgerEntry.counted(1, contribution(300)));
        before.writeBlock();
        assertThat(InMemoryStores.keys(journal)).containsExactly(0L, 1L);

        // When a new ledger on the same local store and journal recovers
        Ledger after = new Ledger(local, journal);
        Ledger.Recovery recovery = after.recover();

        // Then it replays nothing before the marker, and everything is still readable
        assertThat(recovery.from()).isEqualTo(2);
        assertThat(recovery.entries()).isZero();
        assertThat(recovery.blocks()).isZero();
        assertThat(after.get("A")).isEqualTo(LedgerEntry.counted(1, contribution(100)));
        assertThat(after.get("B")).isEqualTo(LedgerEntry.waiting(1, "JPY"));
        assertThat(after.get("C")).isEqualTo(LedgerEntry.counted(1, contribution(300)));

        // And its new writes go to block 2, overwriting none of the journal's blocks
        after.put("D", LedgerEntry.cancelled(2));
        after.writeBlock();
        assertThat(InMemoryStores.keys(journal)).containsExactly(0L, 1L, 2L);
        Ledger rebuilt = new Ledger(emptyLocal(), journal);
        assertRecovered(rebuilt.recover(), 4, 3, 0);
        assertThat(rebuilt.get("A")).isEqualTo(LedgerEntry.counted(1, contribution(100)));
        assertThat(rebuilt.get("D")).isEqualTo(LedgerEntry.cancelled(2));
    }

    @Test
    void a_local_store_ahead_of_its_journal_is_refused() {
        // Given a local store that applied journal blocks 0 and 1
        Ledger before = started();
        before.put("A", LedgerEntry.counted(1, contribution(100)));
        before.writeBlock();
        before.put("B", LedgerEntry.counted(1, contribution(200)));
        before.writeBlock();

        // When it recovers against a journal that no longer has them (its changelog topic deleted)
        Ledger after = new Ledger(local, emptyJournal());

        // Then it refuses, saying where the local store and the journal stand
        assertThatThrownBy(after::recover)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds journal blocks up to 1")
                .hasMessageContaining("journal ends before block 0");
    }

    @Test
    void a_block_that_reaches_its_maximum_size_goes_into_the_journal_before_the_commit() {
        // Given a ledger
        Ledger ledger = started();

        // When it is written more than two full blocks' worth with no commit in between
        List<String> ids = new ArrayList<>();
        long written = 0;
        for (int i = 0; written < 2L * Ledger.MAX_BLOCK_BYTES + Ledger.MAX_BLOCK_BYTES / 2; i++) {
            String id = "DECL-" + i;
            LedgerEntry entry = LedgerEntry.counted(1, contribution(i));
            ledger.put(id, entry);
            ids.add(id);
            written += 2 + id.length() + entry.encode().length;
        }

        // Then two full blocks are in the journal already, each of about the maximum size
        assertThat(InMemoryStores.keys(journal)).containsExactly(0L, 1L);
        for (long block : InMemoryStores.keys(journal)) {
            assertThat(journal.get(block).length).as("size of block %d", block)
                    .isBetween(Ledger.MAX_BLOCK_BYTES, Ledger.MAX_BLOCK_BYTES + 200);
        }
        // And with the rest written at the commit, the journal holds every entry
        ledger.writeBlock();
        assertThat(InMemoryStores.keys(journal)).containsExactly(0L, 1L, 2L);
        Ledger rebuilt = new Ledger(emptyLocal(), journal);
        assertRecovered(rebuilt.recover(), ids.size(), 3, 0);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(rebuilt.get(ids.get(i))).as(ids.get(i)).isEqualTo(LedgerEntry.counted(1, contribution(i)));
        }
    }

    @Test
    void a_declaration_never_seen_has_no_entry() {
        // Given a ledger with one entry
        Ledger ledger = started();
        ledger.put("A", LedgerEntry.counted(1, contribution(100)));

        // When another declaration is looked up, Then it has none
        assertThat(ledger.get("B")).isNull();
        assertThat(ledger.get("A")).isNotNull();
    }

    @Test
    void writes_are_read_from_memory_until_their_block_goes_into_the_journal_and_then_the_local_store_with_the_marker() {
        // Given a ledger on an empty local store
        Ledger ledger = started();

        // When it writes A twice and B, with no commit yet
        ledger.put("A", LedgerEntry.counted(1, contribution(100)));
        ledger.put("B", LedgerEntry.waiting(1, "CNY"));
        ledger.put("A", LedgerEntry.counted(2, contribution(150)));

        // Then it reads them as last written, though neither the journal nor the local store has them yet
        assertThat(ledger.get("A")).isEqualTo(LedgerEntry.counted(2, contribution(150)));
        assertThat(ledger.get("B")).isEqualTo(LedgerEntry.waiting(1, "CNY"));
        assertThat(local.get("A")).isNull();
        assertThat(InMemoryStores.keys(journal)).isEmpty();

        // And when the block is written (at the commit), the local store holds the last of each, and says it holds block 0
        ledger.writeBlock();
        assertThat(InMemoryStores.keys(journal)).containsExactly(0L);
        assertThat(LedgerEntry.decode(local.get("A"))).isEqualTo(LedgerEntry.counted(2, contribution(150)));
        assertThat(LedgerEntry.decode(local.get("B"))).isEqualTo(LedgerEntry.waiting(1, "CNY"));
        assertThat(local.get(Ledger.REPLAYED_TO_KEY)).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
        assertThat(ledger.get("A")).isEqualTo(LedgerEntry.counted(2, contribution(150)));
    }

    /** A ledger on the task's stores, recovered as at the task's start. */
    private Ledger started() {
        Ledger ledger = new Ledger(local, journal);
        ledger.recover();
        return ledger;
    }

    private static KeyValueStore<String, byte[]> emptyLocal() {
        return InMemoryStores.stringKeyed("ledger");
    }

    private static KeyValueStore<Long, byte[]> emptyJournal() {
        return InMemoryStores.longKeyed("journal");
    }

    private static Contribution contribution(long cents) {
        return new Contribution(cents, NOON.plusSeconds(cents), "E" + cents % 7, ExporterSize.SME, "SEMICONDUCTORS", "US",
                "NORTH_AMERICA");
    }

    private static void assertRecovered(Ledger.Recovery r, long entries, long blocks, long from) {
        assertThat(new long[] {r.entries(), r.blocks(), r.from()}).as("%s", r).containsExactly(entries, blocks, from);
        assertThat(r.took().isNegative()).isFalse();
    }
}
