package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.milestones.CountedTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every total of the country in memory (a few thousand a year), by period, then dimension, then member, so a
 * lookup by parts needs no key string per declaration and dimension; the store is the durable copy, written in
 * the round that moves a total. It is also what stage 2 has counted, as the milestone rules ask for it.
 */
final class TotalsBook implements CountedTotals {
    private final Map<String, Map<String, TotalState>[]> byPeriod = new HashMap<>();
    /** Totals the current round moved, in first-moved order. */
    private final List<TotalState> moved = new ArrayList<>();
    private final Set<String> years = new TreeSet<>();
    private final Collection<String> yearsView = Collections.unmodifiableSet(years);
    private final ExporterYearCache exporters;
    private KeyValueStore<String, TotalState> store;
    /** The latest acceptance time counted: when a quarter has closed, for year-to-date records. */
    private Instant latestCounted;

    TotalsBook(ExporterYearCache exporters) {
        this.exporters = exporters;
    }

    /** Loads every stored total: after a restart, a rebalance or an aborted transaction the store is what counts. */
    void open(KeyValueStore<String, TotalState> totals) {
        this.store = totals;
        byPeriod.clear();
        years.clear();
        moved.clear();
        latestCounted = null;
        try (KeyValueIterator<String, TotalState> it = store.all()) {
            it.forEachRemaining(kv -> {
                String[] parts = kv.key.split("\\|", 3);
                Dimension dimension = Dimension.valueOf(parts[1]);
                TotalState s = kv.value;
                s.key = kv.key;
                period(parts[0])[dimension.ordinal()].put(parts[2], s);
                if (dimension == Dimension.NATIONAL && parts[0].length() == 4) {
                    latestCounted = later(latestCounted, s.asOf());
                }
            });
        }
    }

    /** The totals of a period by dimension ordinal, then member; created empty when new. */
    @SuppressWarnings("unchecked")
    Map<String, TotalState>[] period(String period) {
        return byPeriod.computeIfAbsent(period, p -> {
            if (p.length() == 4) {
                years.add(p);
            }
            Map<String, TotalState>[] dimensions = new Map[Dimension.values().length];
            for (int i = 0; i < dimensions.length; i++) {
                dimensions[i] = new HashMap<>();
            }
            return dimensions;
        });
    }

    /** A total of a period's map, created at zero when new; remembered as moved by this round. */
    TotalState moving(Map<String, TotalState>[] periodTotals, String period, Dimension dimension, String member) {
        Map<String, TotalState> members = periodTotals[dimension.ordinal()];
        TotalState s = members.get(member);
        if (s == null) {
            s = new TotalState();
            s.key = Total.key(period, dimension, member);
            members.put(member, s);
        }
        if (!s.dirty) {
            s.dirty = true;
            moved.add(s);
        }
        return s;
    }

    /** A declaration accepted at {@code at} was counted. */
    void counted(Instant at) {
        latestCounted = later(latestCounted, at);
    }

    /** Stores every total the round moved and hands each to {@code emit}, in first-moved order. */
    void writeBack(Consumer<TotalState> emit) {
        for (TotalState t : moved) {
            t.dirty = false;
            store.put(t.key, t);
            emit.accept(t);
        }
        moved.clear();
    }

    @Override
    public Long cents(String period, Dimension dimension, String member) {
        Map<String, TotalState>[] p = byPeriod.get(period);
        TotalState s = p == null ? null : p[dimension.ordinal()].get(member);
        return s == null ? null : s.cents();
    }

    @Override
    public Collection<String> countedYears() {
        return yearsView;
    }

    @Override
    public long exportersYearToDate(int year, int quarter, Dimension dimension, String member) {
        return exporters.yearToDate(year, quarter, dimension, member);
    }

    @Override
    public Instant latestCounted() {
        return latestCounted;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
