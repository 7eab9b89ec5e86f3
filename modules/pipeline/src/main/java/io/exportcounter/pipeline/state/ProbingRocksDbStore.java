package io.exportcounter.pipeline.state;

import io.exportcounter.pipeline.kafkainternals.StreamsStoreLayout;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent key-value store on RocksDB, for stage 1's ledger, where nearly every read misses and every
 * write is part of a batch.
 *
 * <p>Kafka Streams' own RocksDB store reads with RocksJava's {@code get}, whose native side reports a missing
 * key by throwing and catching a C++ exception: for the ledger, where nearly every declaration is new, that
 * unwinding costs the stream thread dearly (docs/decisions.md). This store first asks RocksDB
 * whether the key may exist ({@code keyMayExist}: the memtables and the Bloom filters, no read from disk), and
 * reads only if it may. And its {@link #putAll} writes the entries as one batch in key order: RocksDB's
 * memtable inserts a run of ascending keys from where the last one went in, while single puts in random order
 * each search the whole memtable.
 *
 * <p>Otherwise it is set up as Kafka Streams sets up its stores (same block cache, write buffers, compaction
 * style, no write-ahead log, under {@code <task directory>/rocksdb/<name>}), then by the application's
 * {@code rocksdb.config.setter}, so an operator's memory bounds cover it too. It has no changelog (build it
 * with logging disabled): its owner rebuilds it, as the ledger does from its journal.
 */
public final class ProbingRocksDbStore implements KeyValueStore<Bytes, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ProbingRocksDbStore.class);

    private final String name;
    private final BiConsumer<TaskId, KeyValueStore<Bytes, byte[]>> onOpen;
    private final Set<RocksRangeIterator> openIterators = new HashSet<>();
    private RocksDB db;
    private RocksOptions options;
    private WriteOptions writeOptions;
    private volatile boolean open;

    private ProbingRocksDbStore(String name, BiConsumer<TaskId, KeyValueStore<Bytes, byte[]>> onOpen) {
        this.name = name;
        this.onOpen = onOpen;
    }

    /** Supplies the store to {@code Stores.keyValueStoreBuilder}, which adds the serdes; build it with logging disabled. */
    public static KeyValueBytesStoreSupplier supplier(String name) {
        return supplier(name, (task, store) -> { });
    }

    /** The same, telling {@code onOpen} of each store it opens, with its task, in active and standby tasks alike. */
    public static KeyValueBytesStoreSupplier supplier(String name, BiConsumer<TaskId, KeyValueStore<Bytes, byte[]>> onOpen) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new ProbingRocksDbStore(name, onOpen);
            }

            @Override
            public String metricsScope() {
                return "rocksdb-probing";
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        File dir = StreamsStoreLayout.storeDir(context, name);
        try {
            RocksDB.loadLibrary();
            options = new RocksOptions(name, context.appConfigs());
            writeOptions = new WriteOptions();
            // As in Kafka Streams: what a crash loses comes back from elsewhere (for the ledger, its journal).
            writeOptions.setDisableWAL(true);
            removeForeignLayout(dir);
            Files.createDirectories(dir.toPath());
            db = RocksDB.open(options.options(), dir.getAbsolutePath());
        } catch (IOException | RocksDBException e) {
            closeNative();
            throw new ProcessorStateException("cannot open state store " + name + " at " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeNative();
            throw e;
        }
        open = true;
        context.register(root, (key, value) -> {
            throw new IllegalStateException("state store " + name + " has no changelog to restore from: its owner rebuilds it");
        });
        onOpen.accept(context.taskId(), this);
    }

    /**
     * Removes a store in Kafka Streams' own RocksDB layout found at this path (it keeps a second column family,
     * which a plain open refuses), such as a ledger written by a build that kept it in Kafka Streams' store. What
     * this store holds is rebuilt by its owner (the ledger from its journal), so such files are only in the way.
     */
    private void removeForeignLayout(File dir) throws RocksDBException, IOException {
        if (!new File(dir, "CURRENT").isFile()) {
            return;
        }
        List<byte[]> families = RocksDB.listColumnFamilies(options.options(), dir.getAbsolutePath());
        if (families.size() > 1) {
            log.warn("State store {} at {} was written in another layout (by an earlier build); removing it: its owner "
                    + "rebuilds it (the declaration ledger from its journal)", name, dir);
            Utils.delete(dir);
        }
    }

    @Override
    public byte[] get(Bytes key) {
        validateOpen();
        byte[] k = key.get();
        // Most reads miss: settle those from the memtables and filters, without get's native exception. (Without
        // a holder for a value found on the way: filling one costs every call more than a second lookup costs the few hits.)
        if (!db.keyMayExist(k, null)) {
            return null;
        }
        try {
            return db.get(k);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("cannot read from state store " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(Bytes key, byte[] value) {
        validateOpen();
        try {
            if (value == null) {
                db.delete(writeOptions, key.get());
            } else {
                db.put(writeOptions, key.get(), value);
            }
        } catch (RocksDBException e) {
            throw new ProcessorStateException("cannot write to state store " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    /** One atomic batch, in key order; of equal keys the last wins. A null value deletes. */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        validateOpen();
        List<KeyValue<Bytes, byte[]>> sorted = new ArrayList<>(entries);
        // Stable, so equal keys keep their order and the last one written stays the last. (Bytes.compareTo's order,
        // compared by the JDK's vectorized method.)
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key.get(), b.key.get()));
        try (WriteBatch batch = new WriteBatch()) {
            for (KeyValue<Bytes, byte[]> e : sorted) {
                if (e.value == null) {
                    batch.delete(e.key.get());
                } else {
                    batch.put(e.key.get(), e.value);
                }
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("cannot write to state store " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] old = get(key);
        put(key, null);
        return old;
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(from, to, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(from, to, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(null, null, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(null, null, false);
    }

    /** Keys from {@code from} to {@code to}, both included; a null bound is open. */
    private KeyValueIterator<Bytes, byte[]> iterator(Bytes from, Bytes to, boolean forward) {
        validateOpen();
        if (from != null && to != null && from.compareTo(to) > 0) {
            return new RocksRangeIterator(null, null, null, forward, openIterators::remove);
        }
        RocksIterator it = db.newIterator();
        RocksRangeIterator adapter = new RocksRangeIterator(it, from, to, forward, openIterators::remove);
        openIterators.add(adapter);
        return adapter;
    }

    @Override
    public long approximateNumEntries() {
        validateOpen();
        try {
            return db.getLongProperty("rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw new ProcessorStateException("cannot count the entries of state store " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Nothing to do: a commit needs no flush of memtables to files, because what the store holds is only ever a
     * copy (a crash under exactly-once wipes the task's directory), and closing the database flushes them.
     */
    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        for (RocksRangeIterator it : new ArrayList<>(openIterators)) {
            it.close();
        }
        closeNative();
    }

    private void closeNative() {
        if (db != null) {
            db.close();
            db = null;
        }
        for (AutoCloseable c : new AutoCloseable[] {writeOptions, options}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new ProcessorStateException("cannot close state store " + name, e);
                }
            }
        }
        writeOptions = null;
        options = null;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }

    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    private void validateOpen() {
        if (!open) {
            throw new InvalidStateStoreException("state store " + name + " is not open");
        }
    }
}
