package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.kafkainternals.CommitHookStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the ledgers of an instance's standby replicas of stage-1 tasks up to date with their journals, so that a
 * standby taking over a task starts with its ledger at hand instead of rebuilding it from the whole journal.
 *
 * <p>A standby replica keeps the changelogged journal (Kafka Streams brings it up to date from its changelog) but
 * runs no processor, so nothing would write its local ledger store. Kafka Streams tells this listener (set with
 * {@code KafkaStreams#setStandbyUpdateListener}) after each batch it has loaded into a standby's journal, on the
 * thread that updates the standby, and the listener replays the new blocks into that task's ledger store. A
 * task's two stores make themselves known here when they open ({@link #ledgerOpened}, {@link #journalOpened}).
 */
public final class WarmLedgers implements StandbyUpdateListener {
    private final Map<TaskId, KeyValueStore<Bytes, byte[]>> ledgers = new ConcurrentHashMap<>();
    private final Map<TaskId, KeyValueStore<Long, byte[]>> journals = new ConcurrentHashMap<>();
    private final LongAdder entriesReplayed = new LongAdder();

    /**
     * The task's local ledger store has opened: {@code store} is the innermost one, below the serdes (Kafka Streams
     * wraps the processor's in layers of its own), with the declarationId's UTF-8 bytes as keys, as the processor's
     * string serde writes them.
     */
    public void ledgerOpened(TaskId task, KeyValueStore<Bytes, byte[]> store) {
        ledgers.put(task, store);
    }

    /** The task's journal has opened. */
    public void journalOpened(TaskId task, CommitHookStore store) {
        journals.put(task, store.data());
    }

    /** Ledger entries replayed into standbys' ledgers since start. */
    public long entriesReplayed() {
        return entriesReplayed.sum();
    }

    @Override
    public void onBatchLoaded(TopicPartition partition, String storeName, TaskId task, long batchEndOffset, long batchSize,
            long currentEndOffset) {
        if (!storeName.equals(DeclarationProcessor.LEDGER_JOURNAL_STORE)) {
            return;
        }
        KeyValueStore<Bytes, byte[]> ledger = ledgers.get(task);
        KeyValueStore<Long, byte[]> journal = journals.get(task);
        // A store of a task closed since is replaced when the task's stores open again.
        if (ledger == null || journal == null || !ledger.isOpen() || !journal.isOpen()) {
            return;
        }
        entriesReplayed.add(Ledger.catchUp(utf8Keys(ledger), journal).entries());
    }

    private static Ledger.Entries utf8Keys(KeyValueStore<Bytes, byte[]> store) {
        return new Ledger.Entries() {
            @Override
            public byte[] get(String declarationId) {
                return store.get(key(declarationId));
            }

            @Override
            public void putAll(List<KeyValue<String, byte[]>> entries) {
                List<KeyValue<Bytes, byte[]>> bytes = new ArrayList<>(entries.size());
                for (KeyValue<String, byte[]> e : entries) {
                    bytes.add(KeyValue.pair(key(e.key), e.value));
                }
                store.putAll(bytes);
            }
        };
    }

    private static Bytes key(String declarationId) {
        return Bytes.wrap(declarationId.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onUpdateStart(TopicPartition partition, String storeName, long startingOffset) {
    }

    @Override
    public void onUpdateSuspended(TopicPartition partition, String storeName, long storeOffset, long currentEndOffset,
            SuspendReason reason) {
    }
}
