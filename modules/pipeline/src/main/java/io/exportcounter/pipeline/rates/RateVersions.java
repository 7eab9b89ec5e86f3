package io.exportcounter.pipeline.rates;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change counters of the global rates store, one per currency and one overall, moved by the global
 * store's updater and read by the stage-1 tasks of the same instance. They tell a task when to refresh
 * its copy of the rates and which waiting declarations are worth retrying.
 */
public final class RateVersions {
    private final AtomicLong overall = new AtomicLong();
    private final Map<String, AtomicLong> byCurrency = new ConcurrentHashMap<>();

    void changed(String currency) {
        byCurrency.computeIfAbsent(currency, c -> new AtomicLong()).incrementAndGet();
        overall.incrementAndGet();
    }

    /** The store was (re)loaded without going through the updater: everything may have changed. */
    void reloaded() {
        byCurrency.values().forEach(AtomicLong::incrementAndGet);
        overall.incrementAndGet();
    }

    public long overall() {
        return overall.get();
    }

    public long of(String currency) {
        AtomicLong v = byCurrency.get(currency);
        return v == null ? 0 : v.get();
    }
}
