package io.exportcounter.pipeline.state;

import io.exportcounter.pipeline.kafkainternals.StreamsStoreLayout;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * The RocksDB options of one of the pipeline's own stores: Kafka Streams' settings for its stores
 * ({@link StreamsStoreLayout}), then the application's {@code rocksdb.config.setter}, as Kafka Streams applies them.
 * Owns the native objects they hold and closes them, the setter's {@code close} first.
 */
final class RocksOptions implements AutoCloseable {
    private final String storeName;
    private final Options options = new Options();
    private final LRUCache cache = new LRUCache(StreamsStoreLayout.BLOCK_CACHE_BYTES);
    private final BloomFilter filter = new BloomFilter();
    private final RocksDBConfigSetter configSetter;

    RocksOptions(String storeName, Map<String, Object> configs) {
        this.storeName = storeName;
        BlockBasedTableConfig table = new BlockBasedTableConfig();
        table.setBlockCache(cache);
        table.setBlockSize(StreamsStoreLayout.BLOCK_SIZE_BYTES);
        table.setFilterPolicy(filter);
        options.setTableFormatConfig(table);
        options.setWriteBufferSize(StreamsStoreLayout.WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(StreamsStoreLayout.MAX_WRITE_BUFFERS);
        options.setCompactionStyle(StreamsStoreLayout.COMPACTION_STYLE);
        options.setCompressionType(StreamsStoreLayout.COMPRESSION_TYPE);
        options.setCreateIfMissing(true);
        options.setErrorIfExists(false);
        options.setInfoLogLevel(InfoLogLevel.ERROR_LEVEL);
        options.setIncreaseParallelism(Math.max(Runtime.getRuntime().availableProcessors(), 2));
        configSetter = configSetter(configs.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        if (configSetter != null) {
            configSetter.setConfig(storeName, options, configs);
        }
    }

    Options options() {
        return options;
    }

    private static RocksDBConfigSetter configSetter(Object configured) {
        if (configured == null) {
            return null;
        }
        try {
            Class<?> type = configured instanceof Class<?> c ? c
                    : Class.forName(configured.toString().trim(), true, Utils.getContextOrKafkaClassLoader());
            return (RocksDBConfigSetter) Utils.newInstance(type);
        } catch (ClassNotFoundException e) {
            throw new ProcessorStateException(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG + ": class not found: " + configured, e);
        }
    }

    @Override
    public void close() {
        if (configSetter != null) {
            configSetter.close(storeName, options);
        }
        for (AutoCloseable c : new AutoCloseable[] {options, filter, cache}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new ProcessorStateException("cannot close state store " + storeName, e);
            }
        }
    }
}
