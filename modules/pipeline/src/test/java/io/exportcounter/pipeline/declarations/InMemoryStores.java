package io.exportcounter.pipeline.declarations;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Initialized in-memory key-value stores for unit tests of stage 1 and stage 2's inbox, and what they hold. */
public final class InMemoryStores {
    private static int created;

    private InMemoryStores() {
    }

    public static KeyValueStore<Long, byte[]> longKeyed(String name) {
        return store(name, Serdes.Long());
    }

    static KeyValueStore<String, byte[]> stringKeyed(String name) {
        return store(name, Serdes.String());
    }

    private static <K> KeyValueStore<K, byte[]> store(String name, Serde<K> keys) {
        KeyValueStore<K, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name + "-" + created++),
                keys, Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    static List<Long> keys(KeyValueStore<Long, byte[]> store) {
        List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
