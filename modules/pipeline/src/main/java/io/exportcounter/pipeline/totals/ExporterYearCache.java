package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.ExporterSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2's exporter-years ({@link ExporterYear}): what the distinct-exporter counts move on, in memory up to a cap,
 * with the store as the durable copy written in every round that moves one. Most declarations come from exporters
 * seen before, so memory spares a store read for each; past the cap the least recently used are dropped after a
 * round and read back from the store when needed again.
 *
 * <p>Kept by year, then exporter, in plain hash maps: recency is a round number in each entry, looked at only when
 * the cap is passed, so a lookup touches nothing else.
 */
final class ExporterYearCache {
    private final int cap;
    private final Map<String, Map<String, ExporterYear>> byYear = new HashMap<>();
    /** Exporter-years the current round moved, in first-moved order. */
    private final List<ExporterYear> moved = new ArrayList<>();
    private final YearToDateExporters yearToDate = new YearToDateExporters();
    private KeyValueStore<String, byte[]> store;
    private int inMemory;
    /**
     * Whether memory holds every exporter-year of the store: then one not in memory is new and needs no store read.
     * True from an open that loaded them all (they fit under the cap) until the first eviction.
     */
    private boolean complete;
    /** Counts rounds: an exporter-year's {@code lastRound} says when it was last used. */
    private long round;

    /** @param cap exporter-years kept in memory between rounds (about 300 bytes each) */
    ExporterYearCache(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("exporterYearsCap must be at least 1, was " + cap);
        }
        this.cap = cap;
    }

    /** Loads the stored exporter-years into memory, as many as the cap allows, and counts them to date. */
    void open(KeyValueStore<String, byte[]> exporterYears) {
        this.store = exporterYears;
        byYear.clear();
        moved.clear();
        inMemory = 0;
        complete = true;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                if (inMemory == cap) {
                    complete = false;
                    break;
                }
                KeyValue<String, byte[]> kv = it.next();
                int bar = kv.key.indexOf('|');
                ExporterYear a = ExporterYear.decode(kv.value);
                a.key(kv.key);
                byYear.computeIfAbsent(kv.key.substring(0, bar), y -> new HashMap<>()).put(kv.key.substring(bar + 1), a);
                inMemory++;
            }
        }
        yearToDate.rebuild(store);
    }

    /** The exporter-years of one year in memory (stage 2 keeps the current year's at hand). */
    Map<String, ExporterYear> ofYear(String year) {
        return byYear.computeIfAbsent(year, y -> new HashMap<>());
    }

    /** An exporter's year, from memory or else the store; remembered as moved by this round. */
    ExporterYear get(String year, Map<String, ExporterYear> ofYear, String exporterId) {
        ExporterYear a = ofYear.get(exporterId);
        if (a == null) {
            String key = ExporterYear.key(year, exporterId);
            a = complete ? new ExporterYear() : ExporterYear.decode(store.get(key));
            a.key(key);
            ofYear.put(exporterId, a);
            inMemory++;
        }
        a.lastRound = round;
        if (!a.dirty) {
            a.dirty = true;
            moved.add(a);
        }
        return a;
    }

    /** An exporter's live declarations in a month went between none and some: the counts to date may move. */
    void monthMoved(String year, int month, ExporterSize size, int[] moves, ExporterYear activity) {
        yearToDate.monthMoved(year, month, size, moves, activity);
    }

    /** Distinct exporters of a NATIONAL or EXPORTER_SIZE total from January to the end of {@code quarter}. */
    long yearToDate(int year, int quarter, Dimension dimension, String member) {
        return yearToDate.count(Integer.toString(year), quarter, dimension, member);
    }

    /** Exporter-years in memory now (for tests). */
    int inMemory() {
        return inMemory;
    }

    /**
     * Writes what the round moved as one batch in key order (RocksDB's memtable inserts ascending keys each from
     * where the last went in), then drops the least recently used past the cap.
     */
    void writeBack() {
        moved.sort(ExporterYear.BY_KEY);
        List<KeyValue<String, byte[]>> batch = new ArrayList<>(moved.size());
        for (ExporterYear a : moved) {
            a.dirty = false;
            batch.add(KeyValue.pair(a.key, a.isEmpty() ? null : a.encode()));
        }
        store.putAll(batch);
        moved.clear();
        evict();
        round++;
    }

    /**
     * Past the cap, drops the least recently used exporter-years down to nine tenths of it, so that the scan this
     * takes comes once every many rounds rather than after each. Called after a round is written back: none is
     * dirty then.
     */
    private void evict() {
        if (inMemory <= cap) {
            return;
        }
        // From now on an exporter-year not in memory may be in the store.
        complete = false;
        long[] rounds = new long[inMemory];
        int i = 0;
        for (Map<String, ExporterYear> ofYear : byYear.values()) {
            for (ExporterYear a : ofYear.values()) {
                rounds[i++] = a.lastRound;
            }
        }
        Arrays.sort(rounds);
        int toDrop = inMemory - cap * 9 / 10;
        // Everything used before this round goes, and of this round as many as still needed.
        long cutoff = rounds[toDrop - 1];
        int atCutoff = 0;
        for (int k = toDrop - 1; k >= 0 && rounds[k] == cutoff; k--) {
            atCutoff++;
        }
        int[] dropAtCutoff = {atCutoff};
        for (Map<String, ExporterYear> ofYear : byYear.values()) {
            ofYear.values().removeIf(a -> {
                boolean drop = a.lastRound < cutoff || (a.lastRound == cutoff && dropAtCutoff[0]-- > 0);
                if (drop) {
                    inMemory--;
                }
                return drop;
            });
        }
    }
}
