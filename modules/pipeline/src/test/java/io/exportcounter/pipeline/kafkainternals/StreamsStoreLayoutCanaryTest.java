package io.exportcounter.pipeline.kafkainternals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * Canaries for what {@link StreamsStoreLayout} and {@link HalfCreatedStores} assume of Kafka Streams' own RocksDB
 * stores, none of it public API: the sizes and styles they are opened with, where a store lives in a task's
 * directory, and the files RocksDB writes there. A Kafka release that changes one fails here.
 */
class StreamsStoreLayoutCanaryTest {
    private static final String ROCKSDB_STORE = "org.apache.kafka.streams.state.internals.RocksDBStore";

    @Test
    void our_copy_of_rocksdb_store_defaults_matches_kafka_streams() throws Exception {
        Class<?> store = Class.forName(ROCKSDB_STORE);
        assertThat(constant(store, "BLOCK_CACHE_SIZE")).isEqualTo(StreamsStoreLayout.BLOCK_CACHE_BYTES);
        assertThat(constant(store, "BLOCK_SIZE")).isEqualTo(StreamsStoreLayout.BLOCK_SIZE_BYTES);
        assertThat(constant(store, "WRITE_BUFFER_SIZE")).isEqualTo(StreamsStoreLayout.WRITE_BUFFER_BYTES);
        assertThat(constant(store, "MAX_WRITE_BUFFERS")).isEqualTo(StreamsStoreLayout.MAX_WRITE_BUFFERS);
        assertThat(constant(store, "DB_FILE_DIR")).isEqualTo(StreamsStoreLayout.ROCKSDB_DIR);
        assertThat((CompactionStyle) constant(store, "COMPACTION_STYLE")).isEqualTo(StreamsStoreLayout.COMPACTION_STYLE);
        assertThat((CompressionType) constant(store, "COMPRESSION_TYPE")).isEqualTo(StreamsStoreLayout.COMPRESSION_TYPE);
    }

    @Test
    void a_persistent_store_lives_in_its_tasks_rocksdb_folder_with_the_files_rocksdb_names_current_and_manifest(
            @TempDir Path state) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("canary"), Serdes.String(),
                Serdes.String()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).process(NothingProcessor::new, "canary");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "layout-canary");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), p)) {
            Path task = state.resolve("layout-canary").resolve("0_0");
            File dir = StreamsStoreLayout.rocksDbDir(task).resolve("canary").toFile();
            assertThat(dir).isDirectory();
            // HalfCreatedStores tells a store cut short by a missing CURRENT beside RocksDB's other files.
            assertThat(new File(dir, "CURRENT")).isFile();
            try (Stream<Path> files = Files.list(dir.toPath())) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .anyMatch(n -> n.startsWith("MANIFEST-")).anyMatch(n -> n.startsWith("OPTIONS-"));
            }
        }
    }

    private static final class NothingProcessor implements Processor<String, String, Void, Void> {
        @Override
        public void process(Record<String, String> record) {
        }
    }

    private static Object constant(Class<?> type, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
