package io.exportcounter.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.testsupport.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreLogTest {
    private static final TopicPartition JOURNAL_0 = new TopicPartition("app-ledger-journal-changelog", 0);
    private static final TopicPartition TOTALS_1 = new TopicPartition("app-totals-changelog", 1);

    @Test
    void storesRestoredInOneStretchAreReportedTogetherInOneLine() {
        AtomicLong nanos = new AtomicLong();
        RestoreLog restore = new RestoreLog(nanos::get);
        try (LogCapture logs = new LogCapture()) {
            // Given two store partitions restored in one stretch of 2.5 s
            restore.onRestoreStart(JOURNAL_0, "ledger-journal", 100, 40_100);
            restore.onRestoreStart(TOTALS_1, "totals", 0, 10_000);
            restore.onBatchRestored(JOURNAL_0, "ledger-journal", 20_100, 20_000);
            restore.onRestoreEnd(TOTALS_1, "totals", 10_000);
            nanos.set(2_500_000_000L);
            restore.onRestoreEnd(JOURNAL_0, "ledger-journal", 40_000);

            // Then one line when it starts and one when the last one ends, with their records together
            assertThat(logs.lines()).filteredOn(l -> l.contains("RestoreLog")).containsExactly(
                    "INFO io.exportcounter.pipeline.state.RestoreLog - Restoring state from changelogs, starting with "
                            + "app-ledger-journal-changelog-0 (40000 records)",
                    "INFO io.exportcounter.pipeline.state.RestoreLog - " + RestoreLog.RESTORED
                            + " 50000 records of 2 store partitions in 2.5 s (20000 records/s)");
        }
    }

    @Test
    void aRestorationHandedToAnotherInstanceIsSaidSo() {
        RestoreLog restore = new RestoreLog(() -> 0L);
        try (LogCapture logs = new LogCapture()) {
            restore.onRestoreStart(JOURNAL_0, "ledger-journal", 0, 1_000);
            restore.onRestoreSuspended(JOURNAL_0, "ledger-journal", 400);
            assertThat(logs.lines()).filteredOn(l -> l.contains(RestoreLog.RESTORED)).singleElement().asString()
                    .contains("400 records of 1 store partitions").endsWith("handed to another instance before it finished");
        }
    }
}
