package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.kafkainternals.CommitHookStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The change entries a stage-1 task has made since its last flush to stage 2. A commit or a crash between two
 * flushes must lose and double nothing, so whatever is pending at a commit is in a changelogged store by then.
 *
 * <p>Entries are appended to an in-memory chunk; just before each commit (see {@link CommitHookStore}) the
 * chunks not yet stored go into the store as numbered blocks, one record each. A flush forwards the stored
 * blocks and the chunks in memory, in order, as batches for stage 2, and deletes the blocks, in the same
 * transaction as the batches. Most flushes (every 20 ms) fall between two commits (every 50 ms), so a chunk is
 * stored at most once and most are never stored.
 */
final class PendingChanges {
    /**
     * A chunk is closed, and a batch filled, at about this many bytes: a batch record stays well under Kafka's
     * default 1 MB limit, and a stage-2 round can apply part of a backlog's batches.
     */
    static final int MAX_CHUNK_BYTES = 256 << 10;

    /** The store's key for where the task stands ({@link #readUpTo()}, {@link #reportedUpTo()}); blocks are 0 and up. */
    static final long READ_UP_TO_KEY = -1L;

    private final KeyValueStore<Long, byte[]> store;
    /**
     * The latest event time the task has read, the latest position it has told stage 2 (never later), and whether
     * either moved since they were last stored.
     */
    private Instant readUpTo;
    private Instant reportedUpTo;
    private boolean readUpToMoved;
    /** Closed chunks not yet stored, in order; then the open one. */
    private final List<byte[]> chunks = new ArrayList<>();
    private final BinaryWriter open = new BinaryWriter(64 << 10);
    /** Reused for every batch: it grows to the largest batch once, instead of a new buffer per flush. */
    private final BinaryWriter batch = new BinaryWriter(64 << 10);
    private long nextBlock;
    /**
     * The store holds the blocks from this one to {@code nextBlock - 1}, all of them: they are numbered in
     * order and deleted together. Flushes read from here, not from the start: every flushed block leaves a
     * delete marker in RocksDB until compaction, and an iteration from the first key would step over all of them.
     */
    private long firstBlock;

    /** Its owner calls {@link #storeChunks} before each commit (see {@link CommitHookStore}). */
    PendingChanges(KeyValueStore<Long, byte[]> store) {
        this.store = store;
    }

    /** After a (re)start: blocks left in the store were not flushed yet; they go first at the next flush. */
    void recover() {
        byte[] stored = store.get(READ_UP_TO_KEY);
        ByteBuffer b = stored == null ? null : ByteBuffer.wrap(stored);
        readUpTo = b == null ? null : Instant.ofEpochSecond(b.getLong(), b.getInt());
        reportedUpTo = b == null || b.get() == 0 ? null : Instant.ofEpochSecond(b.getLong(), b.getInt());
        readUpToMoved = false;
        long max = -1;
        long min = Long.MAX_VALUE;
        long blocks = 0;
        try (KeyValueIterator<Long, byte[]> it = store.range(0L, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                long key = it.next().key;
                max = Math.max(max, key);
                min = Math.min(min, key);
                blocks++;
            }
        }
        nextBlock = max + 1;
        firstBlock = blocks == 0 ? nextBlock : min;
        chunks.clear();
        open.reset();
    }

    /** The latest event time the task had read at its last commit (null: none yet). */
    Instant readUpTo() {
        return readUpTo;
    }

    /** Notes the latest event time the task has read; it is stored with the next commit. */
    void readUpTo(Instant at) {
        readUpTo = at;
        readUpToMoved = true;
    }

    /** The latest position the task had told stage 2 at its last commit (null: none yet). */
    Instant reportedUpTo() {
        return reportedUpTo;
    }

    /** Notes a position told to stage 2, if later than the last; it is stored with the next commit. */
    void reportedUpTo(Instant at) {
        if (at != null && (reportedUpTo == null || at.isAfter(reportedUpTo))) {
            reportedUpTo = at;
            readUpToMoved = true;
        }
    }

    void append(ChangeEntry entry) {
        ChangeCodec.writeEntry(open, entry);
        if (open.size() >= MAX_CHUNK_BYTES) {
            chunks.add(open.toByteArray());
            open.reset();
        }
    }

    /** Puts the chunks in memory into the store, before each commit. */
    void storeChunks() {
        if (open.size() > 0) {
            chunks.add(open.toByteArray());
            open.reset();
        }
        for (byte[] chunk : chunks) {
            store.put(nextBlock++, chunk);
        }
        chunks.clear();
        if (readUpToMoved && readUpTo != null) {
            ByteBuffer b = ByteBuffer.allocate(25).putLong(readUpTo.getEpochSecond()).putInt(readUpTo.getNano())
                    .put((byte) (reportedUpTo == null ? 0 : 1));
            if (reportedUpTo != null) {
                b.putLong(reportedUpTo.getEpochSecond()).putInt(reportedUpTo.getNano());
            }
            store.put(READ_UP_TO_KEY, b.array());
            readUpToMoved = false;
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
        boolean anyStored = firstBlock < nextBlock;
        if (!anyStored && chunks.isEmpty() && open.size() == 0) {
            return false;
        }
        List<byte[]> pending = new ArrayList<>();
        if (anyStored) {
            try (KeyValueIterator<Long, byte[]> it = store.range(firstBlock, nextBlock - 1)) {
                it.forEachRemaining(kv -> pending.add(kv.value));
            }
        }
        pending.addAll(chunks);
        if (open.size() > 0) {
            pending.add(open.toByteArray());
        }
        // Chunks go together into batches of up to MAX_CHUNK_BYTES; the first chunk of each batch is where it starts.
        List<Integer> starts = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < pending.size(); i++) {
            int length = pending.get(i).length;
            if (starts.isEmpty() || size + length > MAX_CHUNK_BYTES) {
                starts.add(i);
                size = 0;
            }
            size += length;
        }
        starts.add(pending.size());
        ChangeCodec.Position partial = new ChangeCodec.Position(position.partition(), null, false);
        for (int b = 0; b + 1 < starts.size(); b++) {
            batch.reset();
            ChangeCodec.writeBatchHeader(batch, b + 2 == starts.size() ? position : partial);
            for (int i = starts.get(b); i < starts.get(b + 1); i++) {
                batch.writeBytes(pending.get(i));
            }
            sink.accept(batch.toByteArray());
        }
        for (long key = firstBlock; key < nextBlock; key++) {
            store.delete(key);
        }
        firstBlock = nextBlock;
        chunks.clear();
        open.reset();
        return true;
    }
}
