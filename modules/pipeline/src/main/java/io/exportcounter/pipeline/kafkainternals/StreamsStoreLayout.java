package io.exportcounter.pipeline.kafkainternals;

import java.io.File;
import java.nio.file.Path;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * What Kafka Streams' own RocksDB stores ({@code org.apache.kafka.streams.state.internals.RocksDBStore}) look like,
 * as the pipeline's own RocksDB store copies it: where a store lives in a task's directory, and the sizes and styles
 * it is opened with, so that one of ours weighs what one of theirs does and the application's
 * {@code rocksdb.config.setter} sees the same starting point. None of this is public API: the canary test
 * {@code StreamsStoreLayoutCanaryTest} compares it with the Kafka Streams on the class path.
 */
public final class StreamsStoreLayout {
    /** The folder of a task's directory that holds its RocksDB stores, one folder each. */
    public static final String ROCKSDB_DIR = "rocksdb";
    public static final long BLOCK_CACHE_BYTES = 50L << 20;
    public static final long BLOCK_SIZE_BYTES = 4L << 10;
    public static final long WRITE_BUFFER_BYTES = 16L << 20;
    public static final int MAX_WRITE_BUFFERS = 3;
    public static final CompactionStyle COMPACTION_STYLE = CompactionStyle.UNIVERSAL;
    public static final CompressionType COMPRESSION_TYPE = CompressionType.NO_COMPRESSION;

    private StreamsStoreLayout() {
    }

    /** Where a RocksDB store named {@code name} of the task of {@code context} lives. */
    public static File storeDir(StateStoreContext context, String name) {
        return new File(new File(context.stateDir(), ROCKSDB_DIR), name);
    }

    /** The folder of a task's RocksDB stores, from the task's directory. */
    public static Path rocksDbDir(Path taskDir) {
        return taskDir.resolve(ROCKSDB_DIR);
    }
}
