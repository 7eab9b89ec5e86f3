package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.rates.RateBook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Declarations a stage-1 task cannot count yet because a rate they need is not known: kept in a changelogged store
 * keyed {@code currency|declarationId}, counted per currency in memory, and handed back when a rate of that currency
 * arrives (and only then).
 */
final class WaitingForRates {
    private final KeyValueStore<String, byte[]> store;
    private final LongConsumer count;
    /** Declarations waiting, by the currency they wait for. */
    private final Map<String, Long> byCurrency = new HashMap<>();
    /** Rate version of each currency when its waiting declarations were last handed back. */
    private final Map<String, Long> retriedAtVersion = new HashMap<>();
    private long waiting;

    /** @param count told how many wait, whenever that changes */
    WaitingForRates(KeyValueStore<String, byte[]> store, LongConsumer count) {
        this.store = store;
        this.count = count;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                byCurrency.merge(key.substring(0, key.indexOf('|')), 1L, Long::sum);
                waiting++;
            }
        }
        count.accept(waiting);
    }

    private static String key(String currency, String declarationId) {
        return currency + "|" + declarationId;
    }

    void start(String currency, String id, byte[] declaration) {
        store.put(key(currency, id), declaration);
        byCurrency.merge(currency, 1L, Long::sum);
        waiting++;
        count.accept(waiting);
    }

    void stop(String currency, String id) {
        store.delete(key(currency, id));
        byCurrency.merge(currency, -1L, Long::sum);
        waiting--;
        count.accept(waiting);
    }

    /**
     * Hands {@code retry} each declaration waiting for a currency whose rates changed since the last time (the
     * currency, the stored declaration); {@code retry} may {@link #start} or {@link #stop} waiting.
     */
    void retryChanged(RateBook rates, BiConsumer<String, byte[]> retry) {
        if (waiting == 0) {
            return;
        }
        for (String currency : List.copyOf(byCurrency.keySet())) {
            long version = rates.version(currency);
            Long retried = retriedAtVersion.get(currency);
            if (byCurrency.get(currency) <= 0 || (retried != null && retried == version)) {
                continue;
            }
            retriedAtVersion.put(currency, version);
            List<KeyValue<String, byte[]>> candidates = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(currency + "|", Serdes.String().serializer())) {
                it.forEachRemaining(candidates::add);
            }
            for (KeyValue<String, byte[]> kv : candidates) {
                retry.accept(currency, kv.value);
            }
        }
    }
}
