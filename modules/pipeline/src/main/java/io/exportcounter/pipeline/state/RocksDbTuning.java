package io.exportcounter.pipeline.state;

import io.exportcounter.pipeline.declarations.DeclarationProcessor;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * RocksDB settings for the pipeline's stores, set by default as Kafka Streams' {@code rocksdb.config.setter}.
 *
 * <p>Kafka Streams tunes RocksDB for reads that find their key: it builds no Bloom filter for the
 * bottommost level ({@code optimize_filters_for_hits}), where most keys end up. Stage 1 does the opposite:
 * nearly every declaration is new, so its ledger read misses, and without a filter each miss searched
 * the largest sorted run's index and read a data block; that read was a seventh of the stream thread's time.
 * With a filter on every level, and one over each memtable, a miss is settled by a few bit tests. The
 * filters cost about 10 bits per key (some 60 MB of block cache for a 50-million-declaration year).
 *
 * <p>The ledger's journal is written in blocks and read only to rebuild the ledger: its blocks are LZ4-compressed
 * (Kafka Streams compresses no store), which halves what the journal takes on disk for little CPU.
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
    /** Share of each memtable spent on its Bloom filter. */
    static final double MEMTABLE_FILTER_RATIO = 0.05;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setOptimizeFiltersForHits(false);
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
        if (storeName.equals(DeclarationProcessor.LEDGER_JOURNAL_STORE)) {
            options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing allocated here: the options are Kafka Streams' own.
    }
}
