package io.exportcounter.pipeline;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.Rejection;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.kafkainternals.InputLag;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.order.InputEnds;
import io.exportcounter.pipeline.totals.TotalsProcessor;
import io.exportcounter.testsupport.Decl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The real topology on a TopologyTestDriver, with helpers to feed it and read what it wrote. */
final class PipelineHarness implements AutoCloseable {
    final PipelineConfig config;
    final PipelineStats stats = new PipelineStats();
    final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> declarations;
    private final TestInputTopic<String, byte[]> rates;
    private final TestOutputTopic<String, byte[]> totals;
    private final TestOutputTopic<String, byte[]> rejected;
    private final TestOutputTopic<String, byte[]> milestonesTopic;
    private final TestOutputTopic<String, byte[]> forecastsTopic;
    private final List<Forecast> forecasts = new ArrayList<>();
    /** Stage 1's batches to stage 2 (the repartition topic, which the driver also records). */
    private final TestOutputTopic<byte[], byte[]> changes;
    private final List<Milestone> milestones = new ArrayList<>();
    private final Map<String, Total> latestTotals = new TreeMap<>();
    private final List<Rejection> rejections = new ArrayList<>();
    /** Record timestamps of what was written to the rejected and milestones topics. */
    final List<Long> rejectedTimestamps = new ArrayList<>();
    final List<Long> milestoneTimestamps = new ArrayList<>();

    PipelineHarness() {
        this(PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092"));
    }

    PipelineHarness(PipelineConfig config) {
        this(config, new InputLag());
    }

    /** @param inputLag what stage-1 tasks ask whether their input is read to the end (the driver has no consumer) */
    PipelineHarness(PipelineConfig config, InputLag inputLag) {
        this(config, inputLag, InputEnds.NONE);
    }

    /** @param inputEnds where the declarations topic's partitions end, as stage 2 asks to check idle claims */
    PipelineHarness(PipelineConfig config, InputLag inputLag, InputEnds inputEnds) {
        this.config = config;
        Properties props = PipelineRunner.streamsProperties(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/ttd-" + System.nanoTime());
        driver = new TopologyTestDriver(ExportCounterTopology.build(config, stats, () -> 0, inputLag, inputEnds), props,
                Instant.parse("2026-01-01T00:00:00Z"));
        declarations = driver.createInputTopic(config.declarationsTopic(), new StringSerializer(), new ByteArraySerializer());
        rates = driver.createInputTopic(config.ratesTopic(), new StringSerializer(), new ByteArraySerializer());
        totals = driver.createOutputTopic(config.totalsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        rejected = driver.createOutputTopic(config.rejectedTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        milestonesTopic = driver.createOutputTopic(config.milestonesTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        forecastsTopic = driver.createOutputTopic(config.forecastsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        changes = driver.createOutputTopic(props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "export-counter") + "-"
                + ExportCounterTopology.CHANGES_TOPIC_NAME + "-repartition", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    PipelineHarness send(Decl d) {
        return send(d.id, d.json());
    }

    PipelineHarness send(String key, String json) {
        return sendBytes(key, json.getBytes(StandardCharsets.UTF_8));
    }

    PipelineHarness sendBytes(String key, byte[] value) {
        declarations.pipeInput(key, value);
        return this;
    }

    PipelineHarness rate(String currency, String krwPerUnit, String validFrom) {
        rates.pipeInput(currency, Decl.rate(currency, krwPerUnit, validFrom).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Lets the wall-clock punctuations run as when the feed pauses: stage 1 hands its pending changes to stage 2 and,
     * having read nothing more for a while, says it is idle; stage 2 then applies everything that reached its inbox
     * (while stage 1 still reads, the entries of the latest second it has read wait for the rest of that second).
     */
    PipelineHarness flush() {
        advance(Duration.ofMillis(400), Duration.ofMillis(20));
        driver.advanceWallClockTime(Duration.ofMillis(TotalsProcessor.ROUND_INTERVAL_MS));
        drain();
        return this;
    }

    private void drain() {
        try {
            for (var kv : totals.readKeyValuesToList()) {
                latestTotals.put(kv.key, ContractJson.instance().parseTotal(kv.value));
            }
            for (var r : rejected.readRecordsToList()) {
                rejections.add(ContractJson.instance().parseRejection(r.value()));
                rejectedTimestamps.add(r.timestamp());
            }
            for (var r : milestonesTopic.readRecordsToList()) {
                var kv = new org.apache.kafka.streams.KeyValue<>(r.key(), r.value());
                milestoneTimestamps.add(r.timestamp());
                Milestone m = ContractJson.instance().parseMilestone(kv.value);
                if (!kv.key.equals(m.milestoneId())) {
                    throw new AssertionError("milestone key " + kv.key + " is not its id " + m.milestoneId());
                }
                milestones.add(m);
            }
            for (var kv : forecastsTopic.readKeyValuesToList()) {
                Forecast f = ContractJson.instance().parseForecast(kv.value);
                if (!kv.key.equals(f.key())) {
                    throw new AssertionError("forecast key " + kv.key + " is not " + f.key());
                }
                forecasts.add(f);
            }
        } catch (InvalidRecordException e) {
            throw new AssertionError("pipeline wrote a record that breaks the contract: " + e.getMessage(), e);
        }
    }

    /** The latest value of a total on the totals topic, or null if it was never written. */
    Total total(String key) {
        drain();
        return latestTotals.get(key);
    }

    String usd(String key) {
        Total t = total(key);
        return t == null ? null : t.totalUsd().toPlainString();
    }

    /** The change entries stage 1 sent since the last call, in order. */
    List<ChangeEntry> changesSent() {
        List<ChangeEntry> entries = new ArrayList<>();
        for (ChangeCodec.Batch batch : batchesSent()) {
            entries.addAll(batch.entries());
        }
        return entries;
    }

    /** The batches stage 1 sent since the last call, in order. */
    List<ChangeCodec.Batch> batchesSent() {
        List<ChangeCodec.Batch> batches = new ArrayList<>();
        for (byte[] batch : changes.readValuesToList()) {
            batches.add(ChangeCodec.decode(batch));
        }
        return batches;
    }

    /** Lets wall-clock time pass in steps, so that punctuations run along the way. */
    void advance(Duration total, Duration step) {
        for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
            driver.advanceWallClockTime(step);
        }
    }

    /** Every milestone event written so far, in order. */
    List<Milestone> milestones() {
        drain();
        return milestones;
    }

    /** Every forecast written so far, in order. */
    List<Forecast> forecasts() {
        drain();
        return forecasts;
    }

    /** The forecast the API would answer with: the {@code forecasts} store's value for {@code key}. */
    Forecast storedForecast(String key) throws InvalidRecordException {
        byte[] json = driver.<String, byte[]>getKeyValueStore(TotalsProcessor.FORECASTS_STORE).get(key);
        return json == null ? null : ContractJson.instance().parseForecast(json);
    }

    Map<String, Total> totals() {
        drain();
        return latestTotals;
    }

    List<Rejection> rejections() {
        drain();
        return rejections;
    }

    @Override
    public void close() {
        driver.close();
    }
}
