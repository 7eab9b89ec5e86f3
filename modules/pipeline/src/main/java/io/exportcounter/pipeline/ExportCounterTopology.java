package io.exportcounter.pipeline;

import io.exportcounter.contract.ContractSerdes;
import io.exportcounter.pipeline.classification.CategoryTable;
import io.exportcounter.pipeline.classification.RegionTable;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.declarations.AcceptedAtTimestampExtractor;
import io.exportcounter.pipeline.declarations.DeclarationInput;
import io.exportcounter.pipeline.declarations.DeclarationProcessor;
import io.exportcounter.pipeline.declarations.WarmLedgers;
import io.exportcounter.pipeline.kafkainternals.CommitHookStore;
import io.exportcounter.pipeline.kafkainternals.InputLag;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.order.InputEnds;
import io.exportcounter.pipeline.order.StageOneLeads;
import io.exportcounter.pipeline.order.StageOnePaceListener;
import io.exportcounter.pipeline.rates.RateStoreUpdater;
import io.exportcounter.pipeline.rates.RateValidator;
import io.exportcounter.pipeline.rates.RateVersions;
import io.exportcounter.pipeline.routing.Routed;
import io.exportcounter.pipeline.routing.Routed.Route;
import io.exportcounter.pipeline.state.ProbingRocksDbStore;
import io.exportcounter.pipeline.totals.TotalState;
import io.exportcounter.pipeline.totals.ForecastKeeper;
import io.exportcounter.pipeline.totals.TotalsProcessor;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Export Counter topology, built by one plain method so that the application and every test run
 * the same one (see docs/architecture.md for the why):
 *
 * <pre>
 * customs.exchange-rates ──► [rate-validator] ──► rates-by-week topic ──► global store "exchange-rates"
 *                                  └──► rejected
 * customs.export-declarations ──► [stage 1: declaration-ledger] ──► country-changes (1 partition)
 *        (partitioned by declarationId)   └──► rejected          ──► [stage 2: totals] ──► export.totals
 *                                                                         └──► export.milestones
 * </pre>
 *
 * Stage 1 keeps each declaration's ledger entry and sends its changes in batches; stage 2 keeps every
 * total of the reporting country. Every task store is changelogged except stage 1's local ledger store,
 * which the ledger rebuilds from its changelogged journal; the two global stores (exchange rates, stage-1
 * pace) have no changelog and are rebuilt from their own topics. The pipeline runs exactly-once.
 */
public final class ExportCounterTopology {
    public static final String RATES_STORE = "exchange-rates";
    public static final String CHANGES_TOPIC_NAME = "country-changes";

    private ExportCounterTopology() {
    }

    public static Topology build(PipelineConfig config) {
        return build(config, new PipelineStats());
    }

    public static Topology build(PipelineConfig config, PipelineStats stats) {
        return build(config, stats, () -> 0);
    }

    /**
     * @param declarationPartitions partitions of the declarations topic, asked when stage 2 starts (0: not
     *                              known): stage 2 waits for a stage-1 task of each (see StageOnePositions)
     */
    public static Topology build(PipelineConfig config, PipelineStats stats, IntSupplier declarationPartitions) {
        return build(config, stats, declarationPartitions, new InputLag());
    }

    /**
     * @param inputLag the supplier the KafkaStreams running this topology was given, which tells stage-1 tasks
     *                 whether their consumer has read their partition to the end (see InputLag)
     */
    public static Topology build(PipelineConfig config, PipelineStats stats, IntSupplier declarationPartitions,
            InputLag inputLag) {
        return build(config, stats, declarationPartitions, inputLag, InputEnds.NONE);
    }

    /**
     * @param inputEnds where the declarations topic's partitions end, which stage 2 checks stage-1 tasks' idle claims
     *                  against (see StageOnePositions); asked only from stage 2's stream thread
     */
    public static Topology build(PipelineConfig config, PipelineStats stats, IntSupplier declarationPartitions,
            InputLag inputLag, InputEnds inputEnds) {
        return build(config, stats, declarationPartitions, inputLag, inputEnds, new WarmLedgers());
    }

    /**
     * @param warmLedgers the standby update listener of the KafkaStreams running this topology, which keeps its
     *                    standbys' ledgers up to date (see WarmLedgers); stage 1's stores make themselves known to it
     */
    public static Topology build(PipelineConfig config, PipelineStats stats, IntSupplier declarationPartitions,
            InputLag inputLag, InputEnds inputEnds, WarmLedgers warmLedgers) {
        CategoryTable categories = config.categoriesFile() == null ? CategoryTable.defaults()
                : CategoryTable.load(config.categoriesFile());
        RegionTable regions = config.regionsFile() == null ? RegionTable.defaults()
                : RegionTable.load(config.regionsFile());
        MilestoneRules milestoneRules = MilestoneRules.from(config);
        // Moved by the global rates store on every rate; read by stage-1 tasks of this instance.
        RateVersions rateVersions = new RateVersions();
        // Where this instance's stage-1 tasks stand: one that runs far ahead of another thread's waits for it, and one
        // past stage 2's quota has its partition paused by its consumer.
        StageOneLeads leads = new StageOneLeads();
        String declarationsTopic = config.declarationsTopic();
        inputLag.holdBack(tp -> tp.topic().equals(declarationsTopic) && leads.heldBack(tp.partition()));

        StreamsBuilder builder = new StreamsBuilder();

        // Stage 0: exchange rates, validated and re-keyed by currency and week, into a global store.
        // Persistent (RocksDB), not in-memory: stream threads read it while the global thread writes, and
        // Kafka Streams 4.4's in-memory store reads its TreeMap without a lock (a rate can read back as null
        // under a concurrent write, which stops the pipeline). A few hundred rates a year.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RATES_STORE), Serdes.String(),
                        ContractSerdes.exchangeRates()).withLoggingDisabled(),
                config.ratesByWeekTopic(),
                Consumed.with(Serdes.String(), ContractSerdes.exchangeRates()).withName("rates-by-week-source"),
                () -> new RateStoreUpdater(RATES_STORE, rateVersions));
        KStream<byte[], Routed> rates = builder
                .stream(config.ratesTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("rates-source"))
                .process(() -> new RateValidator(config.ratesTopic()), Named.as("rate-validator"));
        Map<Route, KStream<byte[], byte[]>> ratesOut = byRoute(rates, "rates-", Route.REJECTED, Route.RATE);
        toTopic(ratesOut.get(Route.REJECTED), config.rejectedTopic(), "rates-rejected-sink");
        toTopic(ratesOut.get(Route.RATE), config.ratesByWeekTopic(), "rates-by-week-sink");

        // Stage 1: per declaration. It writes a ledger entry and a change for nearly every declaration. Both
        // collect in memory and go into changelogged stores once per commit (CommitHookStore): the ledger as a
        // journal of blocks, its entries in a local store rebuilt from the journal (see Ledger), in standbys too
        // (see WarmLedgers); the changes as the blocks still pending at a commit, until the flush that hands them
        // to stage 2 (see PendingChanges).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                ProbingRocksDbStore.supplier(DeclarationProcessor.LEDGER_STORE, warmLedgers::ledgerOpened), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled());
        builder.addStateStore(CommitHookStore.builder(DeclarationProcessor.LEDGER_JOURNAL_STORE, warmLedgers::journalOpened));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DeclarationProcessor.WAITING_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(CommitHookStore.builder(DeclarationProcessor.PENDING_STORE));
        DeclarationProcessor.Settings stage1 = new DeclarationProcessor.Settings(config.country(),
                config.declarationsTopic(), RATES_STORE, config.ratesValidity(), config.flushInterval(), config.waitForRates(), categories, regions);
        KStream<byte[], Routed> declarations = builder
                .stream(config.declarationsTopic(), Consumed.with(Serdes.ByteArray(), DeclarationInput.serde())
                        .withTimestampExtractor(new AcceptedAtTimestampExtractor()).withName("declarations-source"))
                .process(() -> new DeclarationProcessor(stage1, rateVersions, stats, leads, inputLag::caughtUp,
                        inputLag::readTo), Named.as("declaration-ledger"),
                        DeclarationProcessor.LEDGER_STORE, DeclarationProcessor.LEDGER_JOURNAL_STORE, DeclarationProcessor.WAITING_STORE,
                        DeclarationProcessor.PENDING_STORE);
        Map<Route, KStream<byte[], byte[]>> declarationsOut = byRoute(declarations, "declarations-", Route.REJECTED, Route.CHANGES);
        toTopic(declarationsOut.get(Route.REJECTED), config.rejectedTopic(), "declarations-rejected-sink");

        // Stage 2: per reporting country, fed through one repartition topic.
        // Cached: every round rewrites the totals it moved (the national one each time); the changelog
        // needs only each key's last value per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TotalsProcessor.TOTALS_STORE), Serdes.String(), TotalState.serde())
                .withCachingEnabled());
        // Not cached: stage 2 reads exporter-years from its own memory, and a record cache (a sorted map of
        // byte keys) costs more to insert into than the compressed changelog writes it would save.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TotalsProcessor.EXPORTER_ACTIVITY_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MilestoneDetector.MILESTONES_STORE), Serdes.String(), Serdes.ByteArray()));
        // Cached: a batch is put and deleted within one commit interval, so it rarely reaches the changelog.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TotalsProcessor.INBOX_STORE), Serdes.Long(), Serdes.ByteArray())
                .withCachingEnabled());
        // Written at most once per round, a few forecast totals of some 3 KB each; cached like the totals.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TotalsProcessor.FORECAST_COUNTED_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TotalsProcessor.FORECASTS_STORE), Serdes.String(), Serdes.ByteArray()));
        ForecastKeeper.Plan forecastPlan = ForecastKeeper.Plan.from(config, milestoneRules);
        KStream<byte[], Routed> totals = declarationsOut.get(Route.CHANGES)
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(CHANGES_TOPIC_NAME).withNumberOfPartitions(1))
                .process(() -> new TotalsProcessor(config.country(), config.zone(), milestoneRules, stats, declarationPartitions,
                        config.maxWaitingEntries(), forecastPlan, inputEnds), Named.as("totals"),
                        TotalsProcessor.TOTALS_STORE, TotalsProcessor.EXPORTER_ACTIVITY_STORE, MilestoneDetector.MILESTONES_STORE,
                        TotalsProcessor.INBOX_STORE, TotalsProcessor.FORECAST_COUNTED_STORE, TotalsProcessor.FORECASTS_STORE);
        Map<Route, KStream<byte[], byte[]>> totalsOut = byRoute(totals, "totals-", Route.TOTAL, Route.MILESTONE, Route.FORECAST,
                Route.PACE);
        toTopic(totalsOut.get(Route.TOTAL), config.totalsTopic(), "totals-sink");
        toTopic(totalsOut.get(Route.MILESTONE), config.milestonesTopic(), "milestones-sink");
        toTopic(totalsOut.get(Route.FORECAST), config.forecastsTopic(), "forecasts-sink");
        // Stage 2 sees every stage-1 task's position; every instance hears its watermark and quota (StageOnePace).
        toTopic(totalsOut.get(Route.PACE), config.stageOnePaceTopic(), "pace-sink");
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StageOnePaceListener.STORE),
                        Serdes.ByteArray(), Serdes.ByteArray()).withLoggingDisabled(),
                config.stageOnePaceTopic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pace-source"),
                () -> new StageOnePaceListener(leads));

        // Only topology-level settings matter here; the global flag keeps Streams from warning about it.
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return builder.build(props);
    }

    /**
     * Splits a processor's output into one named branch per route it emits, each carrying just the value (a record of
     * another route would be a bug in the processor: it goes nowhere).
     */
    private static Map<Route, KStream<byte[], byte[]>> byRoute(KStream<byte[], Routed> stream, String prefix, Route... routes) {
        BranchedKStream<byte[], Routed> split = stream.split(Named.as(prefix));
        for (Route route : routes) {
            split = split.branch((k, v) -> v.is(route), Branched.as(route.name().toLowerCase(Locale.ROOT)));
        }
        Map<String, KStream<byte[], Routed>> byName = split.noDefaultBranch();
        Map<Route, KStream<byte[], byte[]>> out = new EnumMap<>(Route.class);
        for (Route route : routes) {
            String name = prefix + route.name().toLowerCase(Locale.ROOT);
            out.put(route, byName.get(name).mapValues(Routed::value, Named.as(name + "-value")));
        }
        return out;
    }

    private static void toTopic(KStream<byte[], byte[]> stream, String topic, String sinkName) {
        stream.to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(sinkName));
    }
}
