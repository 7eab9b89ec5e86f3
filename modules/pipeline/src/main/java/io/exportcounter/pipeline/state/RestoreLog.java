package io.exportcounter.pipeline.state;

import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line when this instance starts rebuilding task state from changelogs, and one when it has finished: how many
 * records of how many store partitions, in how long. A lost state directory or a takeover without a warm standby
 * shows here as the minutes it costs; stores restored one after another in one stretch are reported together.
 */
public final class RestoreLog implements StateRestoreListener {
    /** The start of the line written when a stretch of restoring ends (benchmarks read it). */
    public static final String RESTORED = "Restored state from changelogs:";
    private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);

    private final LongSupplier nanoTime;
    private int active;
    private int storePartitions;
    private long restored;
    private long startedNanos;

    public RestoreLog() {
        this(System::nanoTime);
    }

    RestoreLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        if (active == 0 && storePartitions == 0) {
            startedNanos = nanoTime.getAsLong();
            log.info("Restoring state from changelogs, starting with {} ({} records)", partition, endingOffset - startingOffset);
        }
        active++;
        storePartitions++;
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        // Counted at the end of each store partition: a line per batch would flood the log.
    }

    @Override
    public synchronized void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        finished(totalRestored, true);
    }

    @Override
    public synchronized void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        finished(totalRestored, false);
    }

    private void finished(long totalRestored, boolean completed) {
        restored += totalRestored;
        active = Math.max(0, active - 1);
        if (active > 0) {
            return;
        }
        double seconds = (nanoTime.getAsLong() - startedNanos) / 1e9;
        log.info("{} {} records of {} store partitions in {} s ({} records/s){}", RESTORED, restored, storePartitions,
                String.format(java.util.Locale.ROOT, "%.1f", seconds),
                seconds > 0 ? Math.round(restored / seconds) : restored,
                completed ? "" : "; the last one was handed to another instance before it finished");
        storePartitions = 0;
        restored = 0;
    }
}
