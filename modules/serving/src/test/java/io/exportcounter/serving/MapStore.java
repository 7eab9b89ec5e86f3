package io.exportcounter.serving;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** A read-only key-value store over a sorted map, as a store query sees the stage-2 stores (string keys). */
final class MapStore<V> implements ReadOnlyKeyValueStore<String, V> {
    final TreeMap<String, V> map = new TreeMap<>();

    MapStore<V> put(String key, V value) {
        map.put(key, value);
        return this;
    }

    @Override
    public V get(String key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(map.subMap(from, true, to, true));
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return iterator(map.subMap(from, true, to, true).descendingMap());
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(map);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return iterator(map.descendingMap());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS serializer) {
        String p = (String) prefix;
        return iterator(map.subMap(p, true, p + Character.MAX_VALUE, false));
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private static <V> KeyValueIterator<String, V> iterator(NavigableMap<String, V> view) {
        // A copy: like a store iterator, it does not see later writes.
        Iterator<Map.Entry<String, V>> it = new ArrayList<>(view.entrySet()).iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<String, V> next = it.hasNext() ? it.next() : null;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue<String, V> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KeyValue<String, V> kv = KeyValue.pair(next.getKey(), next.getValue());
                next = it.hasNext() ? it.next() : null;
                return kv;
            }

            @Override
            public String peekNextKey() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                return next.getKey();
            }

            @Override
            public void close() {
            }
        };
    }
}
