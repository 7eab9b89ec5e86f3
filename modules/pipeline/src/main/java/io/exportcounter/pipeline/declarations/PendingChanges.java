package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The change entries a stage-1 task has made since its last flush to stage 2, kept in a changelogged
 * store so that a commit or a crash between two flushes loses and doubles nothing.
 *
 * <p>Entries are appended to numbered blocks of {@value #BLOCK_ENTRIES}. Each append re-puts only the
 * current block, so the cost per entry stays flat however long the interval between flushes; the
 * store's cache then sends each block to the changelog once per commit rather than once per entry. A
 * flush concatenates the blocks, in order, into batches for stage 2 and deletes them, in the same
 * transaction as the batches it forwards.
 */
final class PendingChanges {
    static final int BLOCK_ENTRIES = 16;
    /** Blocks per forwarded batch: keeps a batch record well under Kafka's default 1 MB limit. */
    static final int BLOCKS_PER_BATCH = 192;

    private final KeyValueStore<Long, byte[]> store;
    private final BinaryWriter block = new BinaryWriter(BLOCK_ENTRIES * 80);
    /** Reused for every batch: it grows to the largest batch once, instead of a new buffer per flush. */
    private final BinaryWriter batch = new BinaryWriter(4096);
    private long currentBlock;
    /**
     * No block below this is in the store any more. Flushes read from here, not from the start: every
     * flushed block leaves a delete marker in RocksDB until compaction, and an iteration from the first
     * key stepped over all of them.
     */
    private long firstBlock;
    private int entriesInBlock;
    private long pendingEntries;

    PendingChanges(KeyValueStore<Long, byte[]> store) {
        this.store = store;
    }

    /** After a (re)start: blocks left in the store were not flushed yet; new entries go to a fresh block. */
    void recover() {
        long max = -1;
        long min = Long.MAX_VALUE;
        long blocks = 0;
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            while (it.hasNext()) {
                long key = it.next().key;
                max = Math.max(max, key);
                min = Math.min(min, key);
                blocks++;
            }
        }
        currentBlock = max + 1;
        firstBlock = blocks == 0 ? currentBlock : min;
        entriesInBlock = 0;
        block.reset();
        // Recovered blocks are counted as pending so the next flush forwards them.
        pendingEntries = blocks;
    }

    void append(ChangeEntry entry) {
        ChangeCodec.writeEntry(block, entry);
        entriesInBlock++;
        pendingEntries++;
        store.put(currentBlock, block.toByteArray());
        if (entriesInBlock == BLOCK_ENTRIES) {
            currentBlock++;
            entriesInBlock = 0;
            block.reset();
        }
    }

    /**
     * Hands every pending entry to {@code sink} as batches in append order, then forgets them. The last
     * batch carries {@code position}; any before it carry the same partition without a watermark, since
     * stage 2 may read them in an earlier round than the last one.
     *
     * @return whether a batch was handed over (nothing is when nothing is pending)
     */
    boolean flush(ChangeCodec.Position position, Consumer<byte[]> sink) {
        if (pendingEntries == 0) {
            return false;
        }
        List<Long> flushed = new ArrayList<>();
        List<byte[]> blocks = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = store.range(firstBlock, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                flushed.add(kv.key);
                blocks.add(kv.value);
            }
        }
        ChangeCodec.Position partial = new ChangeCodec.Position(position.partition(), null, false);
        for (int from = 0; from < blocks.size(); from += BLOCKS_PER_BATCH) {
            int to = Math.min(blocks.size(), from + BLOCKS_PER_BATCH);
            batch.reset();
            ChangeCodec.writeBatchHeader(batch, to == blocks.size() ? position : partial);
            for (int i = from; i < to; i++) {
                batch.writeBytes(blocks.get(i));
            }
            sink.accept(batch.toByteArray());
        }
        for (Long key : flushed) {
            store.delete(key);
        }
        // The current block was flushed with the others: continue in a fresh one.
        if (entriesInBlock > 0) {
            currentBlock++;
            entriesInBlock = 0;
            block.reset();
        }
        firstBlock = currentBlock;
        pendingEntries = 0;
        return true;
    }
}
