package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.order.StageOnePace;
import io.exportcounter.pipeline.routing.Routed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** One stage-2 processor on in-memory stores, fed batches and rounds by hand. */
final class Stage2Harness {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    final TotalsProcessor processor;
    final MockProcessorContext<byte[], Routed> context = new MockProcessorContext<>();
    final Map<String, Total> latest = new TreeMap<>();
    final List<Milestone> milestones = new ArrayList<>();
    /** What stage 2 told the stage-1 tasks, in order. */
    final List<StageOnePace> paces = new ArrayList<>();
    private final List<StateStore> stores = new ArrayList<>();
    long time = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    Stage2Harness(int exporterYearsCap) {
        this(exporterYearsCap, 0, null);
    }

    /** A stage 2 expecting {@code partitions} stage-1 tasks, on the stores of {@code before} if given (a restart). */
    Stage2Harness(int exporterYearsCap, int partitions, Stage2Harness before) {
        this(exporterYearsCap, TotalsProcessor.MAX_WAITING, partitions, before);
    }

    /** As above, with at most {@code maxWaiting} entries waiting for a lagging task. */
    Stage2Harness(int exporterYearsCap, long maxWaiting, int partitions, Stage2Harness before) {
        PipelineConfig config = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092");
        if (before != null) {
            time = before.time;
        }
        context.setCurrentSystemTimeMs(time);
        processor = new TotalsProcessor("KR", SEOUL, MilestoneRules.from(config), new PipelineStats(), () -> partitions,
                exporterYearsCap, maxWaiting);
        if (before == null) {
            add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TotalsProcessor.TOTALS_STORE), Serdes.String(),
                    TotalState.serde()).withLoggingDisabled().build());
            add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TotalsProcessor.EXPORTER_ACTIVITY_STORE),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
            add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MilestoneDetector.MILESTONES_STORE),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
            add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TotalsProcessor.INBOX_STORE), Serdes.Long(),
                    Serdes.ByteArray()).withLoggingDisabled().build());
        } else {
            before.stores.forEach(this::reuse);
        }
        processor.init(context);
    }

    private void add(StateStore store) {
        store.init(context.getStateStoreContext(), store);
        reuse(store);
    }

    private void reuse(StateStore store) {
        stores.add(store);
        context.addStateStore(store);
    }

    /** A batch from no stage-1 task, then a round. */
    void apply(List<ChangeEntry> round) {
        send(ChangeCodec.Position.UNKNOWN, round);
        round();
    }

    void send(ChangeCodec.Position position, List<ChangeEntry> entries) {
        processor.process(new Record<>("KR".getBytes(StandardCharsets.UTF_8), ChangeCodec.encodeBatch(position, entries), time));
    }

    /** Lets {@link TotalsProcessor#ROUND_INTERVAL_MS} pass and the round run. */
    void round() {
        time += TotalsProcessor.ROUND_INTERVAL_MS;
        context.setCurrentSystemTimeMs(time);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(time);
        for (var forwarded : context.forwarded()) {
            Routed r = forwarded.record().value();
            try {
                if (r.is(Routed.Route.TOTAL)) {
                    latest.put(new String(forwarded.record().key(), StandardCharsets.UTF_8), ContractJson.instance().parseTotal(r.value()));
                } else if (r.is(Routed.Route.MILESTONE)) {
                    milestones.add(ContractJson.instance().parseMilestone(r.value()));
                } else if (r.is(Routed.Route.PACE)) {
                    paces.add(StageOnePace.decode(r.value()));
                }
            } catch (InvalidRecordException e) {
                throw new AssertionError(e);
            }
        }
        context.resetForwards();
    }

    /** Keys in the inbox store now. */
    List<Long> inboxKeys() {
        List<Long> keys = new ArrayList<>();
        KeyValueStore<Long, byte[]> inbox = context.getStateStore(TotalsProcessor.INBOX_STORE);
        try (var it = inbox.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    long nationalCents() {
        Total t = latest.get("2025|NATIONAL|KR");
        return t == null ? 0 : t.totalUsd().movePointRight(2).longValueExact();
    }
}
