package io.exportcounter.pipeline.rates;

import io.exportcounter.contract.ExchangeRate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global rates store (every rate of every week, on every instance) and moves the version
 * that tells stage-1 tasks to refresh their copy and retry declarations waiting for a rate.
 */
public final class RateStoreUpdater implements Processor<String, ExchangeRate, Void, Void> {
    private final String storeName;
    private final RateVersions versions;
    private KeyValueStore<String, ExchangeRate> store;

    public RateStoreUpdater(String storeName, RateVersions versions) {
        this.storeName = storeName;
        this.versions = versions;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // The store may have been restored from the topic without passing through process().
        versions.reloaded();
    }

    @Override
    public void process(Record<String, ExchangeRate> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        versions.changed(RateKeys.currencyOf(record.key()));
    }
}
