package io.exportcounter.serving;

import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.totals.TotalState;
import io.exportcounter.pipeline.totals.TotalsProcessor;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's copy of the stage-2 stores, if it has one. Stage 2 is one task (partition 0 of the
 * country-changes topic), so whoever holds its partition 0 holds every total, every milestone and the latest
 * forecast of every forecast total.
 */
final class LocalStores {
    /** The stage-2 stores as one instance sees them; {@code stale} when read from a standby or restoring copy. */
    record Snapshot(ReadOnlyKeyValueStore<String, TotalState> totals, ReadOnlyKeyValueStore<String, byte[]> milestones,
            ReadOnlyKeyValueStore<String, byte[]> forecasts, boolean stale) {
    }

    private final KafkaStreams streams;

    LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * The active, up-to-date stores when this instance runs stage 2; otherwise, with {@code allowStale},
     * a standby or restoring copy; otherwise empty.
     */
    Optional<Snapshot> open(boolean allowStale) {
        Optional<Snapshot> active = open(false, false);
        if (active.isPresent() || !allowStale) {
            return active;
        }
        return open(true, true);
    }

    private Optional<Snapshot> open(boolean enableStale, boolean stale) {
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, TotalState>> totalsQuery = StoreQueryParameters
                    .fromNameAndType(TotalsProcessor.TOTALS_STORE, QueryableStoreTypes.<String, TotalState>keyValueStore())
                    .withPartition(0);
            StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> milestonesQuery = StoreQueryParameters
                    .fromNameAndType(MilestoneDetector.MILESTONES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(0);
            StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> forecastsQuery = StoreQueryParameters
                    .fromNameAndType(TotalsProcessor.FORECASTS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(0);
            if (enableStale) {
                totalsQuery = totalsQuery.enableStaleStores();
                milestonesQuery = milestonesQuery.enableStaleStores();
                forecastsQuery = forecastsQuery.enableStaleStores();
            }
            ReadOnlyKeyValueStore<String, TotalState> totals = streams.store(totalsQuery);
            ReadOnlyKeyValueStore<String, byte[]> milestones = streams.store(milestonesQuery);
            ReadOnlyKeyValueStore<String, byte[]> forecasts = streams.store(forecastsQuery);
            // The returned stores are lazy wrappers: touch each, so a missing partition shows here.
            totals.approximateNumEntries();
            milestones.approximateNumEntries();
            forecasts.approximateNumEntries();
            return Optional.of(new Snapshot(totals, milestones, forecasts, stale));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            // Not hosted here, migrating, or the client is not running (yet).
            return Optional.empty();
        }
    }
}
