package io.exportcounter.pipeline.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * RocksDB settings for the pipeline's stores, set by default as Kafka Streams' {@code rocksdb.config.setter}.
 *
 * <p>Kafka Streams tunes RocksDB for reads that find their key: it builds no Bloom filter for the
 * bottommost level ({@code optimize_filters_for_hits}), where most keys end up. Stage 1 does the opposite:
 * nearly every declaration is new, so its ledger read misses, and without a filter each miss searches
 * the largest sorted run's index and reads a data block, a large share of the stream thread's time.
 * With a filter on every level, and one over each memtable, a miss is settled by a few bit tests. The
 * filters cost about 10 bits per key (some 60 MB of block cache for a 50-million-declaration year).
 *
 * <p>A journal (a store whose name ends in {@value #JOURNAL_SUFFIX}, such as the declaration ledger's) is written
 * in blocks and read only to rebuild what it journals: its blocks are LZ4-compressed (Kafka Streams compresses no
 * store), which halves what it takes on disk for little CPU.
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
    /** The end of the names of journal stores, which are compressed. */
    public static final String JOURNAL_SUFFIX = "-journal";
    /** Share of each memtable spent on its Bloom filter. */
    static final double MEMTABLE_FILTER_RATIO = 0.05;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setOptimizeFiltersForHits(false);
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
        if (storeName.endsWith(JOURNAL_SUFFIX)) {
            options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing allocated here: the options are Kafka Streams' own.
    }
}
