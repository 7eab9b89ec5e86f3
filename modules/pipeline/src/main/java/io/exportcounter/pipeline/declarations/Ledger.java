package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.kafkainternals.CommitHookStore;
import io.exportcounter.pipeline.state.ProbingRocksDbStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 1's ledger: every declaration's {@link LedgerEntry}, read for each event and written for most.
 *
 * <p>The entries live in a local RocksDB store with no changelog of its own. What makes them durable is a
 * changelogged <em>journal</em> of the writes: they collect in memory and go into the journal as one block just
 * before each commit (see {@link CommitHookStore}), or sooner when a block reaches {@value #MAX_BLOCK_BYTES}
 * bytes. A changelog record for every write, one per declaration, would cost the producer, the broker and its
 * log cleaner more than anything else stage 1 writes; the journal is a record per commit.
 * The same writes then go into the local store as one batch, which {@link ProbingRocksDbStore} inserts in key
 * order; until then {@link #get} finds them in memory.
 *
 * <p>The local store is rebuilt from the journal where it lacks blocks: a marker in it names the first block
 * it may not wholly hold, and {@link #recover} replays the journal from there. It never holds more than the
 * journal: under exactly-once (which the pipeline requires) Kafka Streams wipes the whole directory of a task
 * that did not close cleanly, this store with it, and a clean close commits first. A fresh instance replays the
 * whole journal once; a standby replica keeps its local store up to date with the journal as it follows it
 * (see {@link WarmLedgers}).
 */
final class Ledger {
    /** A block goes into the journal before a commit when it reaches this size: a record stays far below 1 MB. */
    static final int MAX_BLOCK_BYTES = 256 << 10;
    /** Local-store key of the marker; never a declarationId, which has 1 to 32 characters. */
    static final String REPLAYED_TO_KEY = "";
    private static final byte BLOCK_FORMAT_V1 = 1;
    /** Entries written to the local store at once while replaying: one sorted batch spans many blocks. */
    static final int REPLAY_BATCH = 1 << 16;

    private final KeyValueStore<String, byte[]> local;
    private final KeyValueStore<Long, byte[]> journal;
    /** Writes since the last block went into the journal, as the next block. */
    private final BinaryWriter block = new BinaryWriter(64 << 10);
    private final BinaryWriter entry = new BinaryWriter(96);
    /** The block's entries, by declaration, until they go into the local store with it. */
    private final Map<String, byte[]> unstored = new HashMap<>();
    private long nextBlock;

    /** Its owner calls {@link #writeBlock} before each commit (see {@link CommitHookStore}). */
    Ledger(KeyValueStore<String, byte[]> local, KeyValueStore<Long, byte[]> journal) {
        this.local = local;
        this.journal = journal;
    }

    /**
     * What a replay did: entries and blocks replayed from the journal into the local store, from block {@code from}
     * on (0: the local store was empty, and is rebuilt from the whole journal), up to block {@code end}, the
     * journal's end.
     */
    record Recovery(long entries, long blocks, long from, long end, Duration took) {
    }

    /**
     * After a (re)start: replays into the local store the journal blocks it may lack; new writes go to a block
     * after the journal's last.
     *
     * @throws IllegalStateException if the local store has applied blocks the journal no longer has
     */
    Recovery recover() {
        Recovery recovery = catchUp(Entries.of(local), journal);
        nextBlock = recovery.end();
        block.reset();
        unstored.clear();
        return recovery;
    }

    /**
     * Replays into {@code local} the blocks of {@code journal} it lacks, so that it holds the whole journal: at a
     * task's start, and in a standby replica each time its journal has been brought up to date, so that the replica
     * taking over has its ledger at hand (see {@link WarmLedgers}).
     *
     * @throws IllegalStateException if the local store has applied blocks the journal no longer has
     */
    static Recovery catchUp(Entries local, KeyValueStore<Long, byte[]> journal) {
        byte[] marker = local.get(REPLAYED_TO_KEY);
        long from = marker == null ? 0 : ByteBuffer.wrap(marker).getLong();
        long end;
        try (KeyValueIterator<Long, byte[]> last = journal.reverseAll()) {
            end = last.hasNext() ? last.next().key + 1 : 0;
        }
        if (from > end) {
            throw new IllegalStateException("the local declaration ledger holds journal blocks up to " + (from - 1)
                    + " but the journal ends before block " + end + "; was its changelog topic deleted or truncated?");
        }
        long started = System.nanoTime();
        long entries = 0;
        long blocks = 0;
        if (from < end) {
            List<KeyValue<String, byte[]>> batch = new ArrayList<>(REPLAY_BATCH + 4096);
            try (KeyValueIterator<Long, byte[]> it = journal.range(from, Long.MAX_VALUE)) {
                while (it.hasNext()) {
                    KeyValue<Long, byte[]> kv = it.next();
                    entries += replay(kv.key, kv.value, batch);
                    blocks++;
                    if (batch.size() >= REPLAY_BATCH) {
                        // In journal order: a declaration written in two blocks keeps the later entry.
                        local.putAll(batch);
                        batch.clear();
                    }
                }
            }
            batch.add(replayedTo(end));
            local.putAll(batch);
        }
        return new Recovery(entries, blocks, from, end, Duration.ofNanos(System.nanoTime() - started));
    }

    /** What a replay needs of the local store: a standby's is reached below its serdes (see {@link WarmLedgers}). */
    interface Entries {
        byte[] get(String declarationId);

        void putAll(List<KeyValue<String, byte[]>> entries);

        static Entries of(KeyValueStore<String, byte[]> store) {
            return new Entries() {
                @Override
                public byte[] get(String declarationId) {
                    return store.get(declarationId);
                }

                @Override
                public void putAll(List<KeyValue<String, byte[]>> entries) {
                    store.putAll(entries);
                }
            };
        }
    }

    /** Adds the entries of one journal block to {@code into}, as they were written (read only to find where each ends). */
    private static long replay(long key, byte[] value, List<KeyValue<String, byte[]>> into) {
        BinaryReader in = new BinaryReader(value);
        byte format = in.readByte();
        if (format != BLOCK_FORMAT_V1) {
            throw new IllegalStateException("ledger journal block " + key + " has unknown format " + format);
        }
        long n = 0;
        while (in.available() > 0) {
            String id = in.readUTF();
            int start = in.position();
            LedgerEntry.read(in);
            into.add(KeyValue.pair(id, in.copySince(start)));
            n++;
        }
        return n;
    }

    /** The declaration's entry; null if it was never seen. */
    LedgerEntry get(String declarationId) {
        byte[] bytes = unstored.get(declarationId);
        if (bytes == null) {
            bytes = local.get(declarationId);
        }
        return bytes == null ? null : LedgerEntry.decode(bytes);
    }

    void put(String declarationId, LedgerEntry value) {
        entry.reset();
        value.write(entry);
        byte[] encoded = entry.toByteArray();
        unstored.put(declarationId, encoded);
        if (block.size() == 0) {
            block.writeByte(BLOCK_FORMAT_V1);
        }
        block.writeUTF(declarationId);
        block.writeBytes(encoded);
        if (block.size() >= MAX_BLOCK_BYTES) {
            writeBlock();
        }
    }

    /**
     * Puts the writes since the last block into the journal (before each commit, and when a block is full), then
     * into the local store, in one batch with the marker that says it holds the block.
     */
    void writeBlock() {
        if (block.size() == 0) {
            return;
        }
        journal.put(nextBlock++, block.toByteArray());
        block.reset();
        List<KeyValue<String, byte[]>> batch = new ArrayList<>(unstored.size() + 1);
        unstored.forEach((id, value) -> batch.add(KeyValue.pair(id, value)));
        // Every block below this one is wholly in the local store.
        batch.add(replayedTo(nextBlock));
        local.putAll(batch);
        unstored.clear();
    }

    private static KeyValue<String, byte[]> replayedTo(long blockNumber) {
        return KeyValue.pair(REPLAYED_TO_KEY, ByteBuffer.allocate(Long.BYTES).putLong(blockNumber).array());
    }
}
