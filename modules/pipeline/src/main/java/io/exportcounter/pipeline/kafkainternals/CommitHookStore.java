package io.exportcounter.pipeline.kafkainternals;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A changelogged key-value store (long keys, byte values) that runs an action of its processor just before each
 * commit, so the processor can keep what it writes in memory and put it into the store once per commit.
 *
 * <p>Stage 1 writes something for nearly every declaration: a ledger entry, a change for stage 2. Put one by one,
 * that would be a changelog record each, or, through Kafka Streams' record cache, a cache update each (a sorted map
 * and an LRU list) plus a cache full of blocks nobody reads again. Written at the commit, it is one record per
 * task and commit, and the write in between is an append to a byte buffer.
 *
 * <p>Kafka Streams has no public hook before a commit. It flushes every store that implements its internal
 * {@link CachedStateStore} first ({@code ProcessorStateManager.flushCache}, from {@code StreamTask.flush} before
 * the producer is flushed and the transaction committed), so this store implements that interface: its
 * {@link #flushCache()} runs the action, whose puts go to the changelog in the commit's transaction. The store
 * itself has no cache. {@code CommitHookStoreIT} checks on a broker that Kafka Streams still calls it before each commit.
 */
public final class CommitHookStore implements StateStore, CachedStateStore<Object, Object> {
    private final KeyValueStore<Long, byte[]> inner;
    private final BiConsumer<TaskId, CommitHookStore> onOpen;
    private Runnable beforeCommit = () -> { };

    private CommitHookStore(KeyValueStore<Long, byte[]> inner, BiConsumer<TaskId, CommitHookStore> onOpen) {
        this.inner = inner;
        this.onOpen = onOpen;
    }

    /** A builder of a persistent (RocksDB), changelogged store named {@code name}. */
    public static StoreBuilder<CommitHookStore> builder(String name) {
        return builder(name, (task, store) -> { });
    }

    /** The same, telling {@code onOpen} of each store it opens, with its task, in active and standby tasks alike. */
    public static StoreBuilder<CommitHookStore> builder(String name, BiConsumer<TaskId, CommitHookStore> onOpen) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Long(), Serdes.ByteArray()),
                onOpen);
    }

    /** The store's data; its writes go to the changelog at once (there is no cache). */
    public KeyValueStore<Long, byte[]> data() {
        return inner;
    }

    /** Sets what runs before each commit (replacing the last one: a processor sets it again at each init). */
    public void beforeCommit(Runnable action) {
        this.beforeCommit = Objects.requireNonNull(action);
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    /** Called when a task closes without committing; what the processor keeps in memory goes with it. */
    @Override
    public void clearCache() {
        // The processor starts again from the store at its next init.
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // The inner store registers "root" with the state manager: this store, so that it is the one flushed.
        inner.init(context, root);
        onOpen.accept(context.taskId(), this);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    /** Builds the inner store as Kafka Streams would (metered, changelogged), never with a cache. */
    private static final class Builder implements StoreBuilder<CommitHookStore> {
        private final StoreBuilder<KeyValueStore<Long, byte[]>> inner;
        private final BiConsumer<TaskId, CommitHookStore> onOpen;

        Builder(StoreBuilder<KeyValueStore<Long, byte[]>> inner, BiConsumer<TaskId, CommitHookStore> onOpen) {
            this.inner = inner;
            this.onOpen = onOpen;
        }

        @Override
        public StoreBuilder<CommitHookStore> withCachingEnabled() {
            throw new UnsupportedOperationException("a CommitHookStore has no cache: its processor keeps the writes until the commit");
        }

        @Override
        public StoreBuilder<CommitHookStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHookStore> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<CommitHookStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("a CommitHookStore is changelogged: the commit hook exists for its changelog");
        }

        @Override
        public CommitHookStore build() {
            return new CommitHookStore(inner.build(), onOpen);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
