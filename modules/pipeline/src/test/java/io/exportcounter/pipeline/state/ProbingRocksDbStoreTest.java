package io.exportcounter.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;

/** The RocksDB store of stage 1's ledger: reads that miss, batches in key order, and a life across reopening. */
class ProbingRocksDbStoreTest {
    @TempDir
    Path stateDir;

    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyValueStore::close);
    }

    private KeyValueStore<Bytes, byte[]> open(Properties config) {
        return init(ProbingRocksDbStore.supplier("ledger").get(), config);
    }

    /** Initializes a store of task 0_0 in the test's state directory. */
    private KeyValueStore<Bytes, byte[]> init(KeyValueStore<Bytes, byte[]> store, Properties config) {
        config.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "probing-test");
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    private KeyValueStore<Bytes, byte[]> open() {
        return open(new Properties());
    }

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                keys.add(new String(it.next().key.get(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    @Test
    void a_key_never_written_reads_as_absent_and_a_written_one_as_its_last_value() {
        // Given a store with one key written twice
        KeyValueStore<Bytes, byte[]> store = open();
        store.put(key("A"), value("1"));
        store.put(key("A"), value("2"));

        // Then the key reads as its last value, and others as absent
        assertThat(store.get(key("A"))).isEqualTo(value("2"));
        assertThat(store.get(key("B"))).isNull();
        assertThat(store.get(key(""))).isNull();

        // And a put of null, or a delete, removes a key (a delete returns what it removed)
        store.put(key("A"), null);
        assertThat(store.get(key("A"))).isNull();
        store.put(key("C"), value("3"));
        assertThat(store.delete(key("C"))).isEqualTo(value("3"));
        assertThat(store.get(key("C"))).isNull();
        assertThat(store.putIfAbsent(key("D"), value("4"))).isNull();
        assertThat(store.putIfAbsent(key("D"), value("5"))).isEqualTo(value("4"));
    }

    @Test
    void a_batch_in_any_order_is_written_whole_the_last_of_equal_keys_winning_and_null_deleting() {
        // Given a store holding X
        KeyValueStore<Bytes, byte[]> store = open();
        store.put(key("X"), value("old"));

        // When a batch out of key order writes B twice and deletes X
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        batch.add(KeyValue.pair(key("C"), value("c")));
        batch.add(KeyValue.pair(key("B"), value("first")));
        batch.add(KeyValue.pair(key("X"), null));
        batch.add(KeyValue.pair(key("A"), value("a")));
        batch.add(KeyValue.pair(key("B"), value("second")));
        store.putAll(batch);

        // Then every key reads as the batch left it
        assertThat(store.get(key("A"))).isEqualTo(value("a"));
        assertThat(store.get(key("B"))).isEqualTo(value("second"));
        assertThat(store.get(key("C"))).isEqualTo(value("c"));
        assertThat(store.get(key("X"))).isNull();
        // And the batch given is left as it was
        assertThat(batch.get(0).key).isEqualTo(key("C"));
    }

    @Test
    void what_was_written_is_still_there_after_the_store_is_closed_and_opened_again() {
        // Given a store that wrote ten thousand keys (no write-ahead log: closing must flush them)
        KeyValueStore<Bytes, byte[]> store = open();
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(KeyValue.pair(key("DECL-" + i), value("v" + i)));
        }
        store.putAll(batch);
        store.close();
        assertThat(store.isOpen()).isFalse();
        assertThatThrownBy(() -> store.get(key("DECL-1"))).isInstanceOf(InvalidStateStoreException.class);

        // When it is opened again on the same directory
        KeyValueStore<Bytes, byte[]> reopened = open();

        // Then every key reads back, now from the files, and a key never written still reads as absent
        assertThat(Files.isDirectory(stateDir.resolve("rocksdb").resolve("ledger"))).isTrue();
        for (int i = 0; i < 10_000; i += 997) {
            assertThat(reopened.get(key("DECL-" + i))).as("DECL-%d", i).isEqualTo(value("v" + i));
        }
        assertThat(reopened.get(key("DECL-10000"))).isNull();
        assertThat(reopened.approximateNumEntries()).isPositive();
    }

    @Test
    void ranges_include_both_bounds_in_either_direction_and_an_open_bound_runs_to_the_end() {
        // Given keys A to E
        KeyValueStore<Bytes, byte[]> store = open();
        for (String k : List.of("D", "A", "E", "C", "B")) {
            store.put(key(k), value(k));
        }

        // Then ranges list them in key order, both bounds included
        assertThat(keys(store.all())).containsExactly("A", "B", "C", "D", "E");
        assertThat(keys(store.reverseAll())).containsExactly("E", "D", "C", "B", "A");
        assertThat(keys(store.range(key("B"), key("D")))).containsExactly("B", "C", "D");
        assertThat(keys(store.reverseRange(key("B"), key("D")))).containsExactly("D", "C", "B");
        assertThat(keys(store.range(key("BB"), null))).containsExactly("C", "D", "E");
        assertThat(keys(store.reverseRange(null, key("BB")))).containsExactly("B", "A");
        // And a range whose start is after its end is empty
        assertThat(keys(store.range(key("D"), key("B")))).isEmpty();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key("C"), key("E"))) {
            assertThat(it.peekNextKey()).isEqualTo(key("C"));
            assertThat(it.next().value).isEqualTo(value("C"));
        }
    }

    @Test
    void the_applications_rocksdb_config_setter_tunes_this_store_too_and_is_closed_with_it() {
        // Given an application with its own RocksDB config setter, named as a class name
        Properties config = new Properties();
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RecordingConfigSetter.class.getName());
        RecordingConfigSetter.calls.clear();

        // When the store opens and closes
        KeyValueStore<Bytes, byte[]> store = open(config);
        store.close();

        // Then the setter saw the store's options, and was closed with it
        assertThat(RecordingConfigSetter.calls).containsExactly("setConfig ledger 8388608", "close ledger");
    }

    @Test
    void a_store_kafka_streams_wrote_at_its_path_in_an_earlier_build_is_replaced_by_an_empty_one() {
        // Given Kafka Streams' own RocksDB store, as earlier builds kept the ledger, with an entry, at this store's path
        KeyValueStore<Bytes, byte[]> kafkas = init(Stores.persistentKeyValueStore("ledger").get(), new Properties());
        kafkas.put(key("A"), value("old layout"));
        kafkas.close();

        // When this store opens there
        KeyValueStore<Bytes, byte[]> store = open();

        // Then it opens, empty (its owner rebuilds it), and works
        assertThat(store.get(key("A"))).isNull();
        store.put(key("A"), value("new"));
        assertThat(store.get(key("A"))).isEqualTo(value("new"));
    }

    /** Sets a write buffer size of its own and records what it was asked. */
    public static final class RecordingConfigSetter implements RocksDBConfigSetter {
        static final List<String> calls = new ArrayList<>();

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            options.setWriteBufferSize(8L << 20);
            calls.add("setConfig " + storeName + " " + options.writeBufferSize());
        }

        @Override
        public void close(String storeName, Options options) {
            calls.add("close " + storeName);
        }
    }
}
