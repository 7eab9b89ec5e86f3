package io.exportcounter.simulator;

import io.exportcounter.contract.topics.MissingTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a simulated year to Kafka: declarations keyed by declarationId on the declarations topic, weekly
 * rates keyed by currency on the rates topic. One idempotent producer (acks=all, lz4, batching) keeps
 * every record in order within its partition.
 *
 * <p>Record timestamps are the producer's clock, not the simulated time (the pipeline reads acceptedAt
 * from the value). Timestamps a year in the past, a week apart every few seconds, would make the broker
 * roll a segment every seven simulated days: the log cleaner would then compact away the weeks of the
 * rates topic (keyed by currency) and retention would delete declaration segments before a pipeline that
 * lags a little has read them.
 */
public final class Simulator {
    private static final Logger log = LoggerFactory.getLogger(Simulator.class);
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private Simulator() {
    }

    /**
     * Sends the whole year and returns when every record is acknowledged.
     *
     * @param listener hears progress (may be null); with {@link SimulatorOptions#progress()} the console
     *                 bar on standard error hears it too
     * @throws InterruptedException when the calling thread is interrupted: sending stops, what was sent is
     *                              flushed, and the listener still gets its summary
     * @throws SimulatorException   when the broker refuses records or cannot be reached
     */
    public static SimulationSummary run(SimulatorOptions options, ProgressListener listener) throws InterruptedException {
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        if (options.progress()) {
            progress = progress.andThen(new ConsoleProgressBar(System.err));
        }
        Pacer pacer = new Pacer(options, generator.plannedCrossing());
        if (options.createTopics()) {
            createMissingTopics(options);
        }
        log.info("Simulating {} ({} declarations, seed {}) to {} on {}", options.year(), options.declarations(),
                options.seed(), options.declarationsTopic(), options.bootstrapServers());

        Tally tally = new Tally(options.declarations(), progress);
        AtomicReference<Exception> failure = new AtomicReference<>();
        boolean interrupted = false;
        boolean slowMotionStarted = false;

        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(options),
                new ByteArraySerializer(), new ByteArraySerializer());
        try {
            outer:
            while (generator.hasNext()) {
                SimEvent e = generator.next();
                if (options.until() != null && !e.time().isBefore(options.until())) {
                    break; // records come in simulated-time order: nothing later is sent either
                }
                if (options.from() != null && e.time().isBefore(options.from())) {
                    if (e.kind().onRatesTopic()) {
                        // Rates in force at the start of the slice: again, unpaced (the pipeline keeps one per week).
                        send(producer, options.ratesTopic(), e, failure);
                        tally.sent(e);
                    }
                    continue; // an earlier run sent it
                }
                if (!slowMotionStarted && pacer.inSlowMotion(e.epochSecond())) {
                    slowMotionStarted = true;
                    producer.flush();
                    progress.onSlowMotion(tally.progress(tally.simulated == null ? e.time() : tally.simulated, true));
                    pacer.restart();
                }
                long due = pacer.dueAt(e, System.nanoTime());
                long now;
                while ((now = System.nanoTime()) < due) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.min(due - now, MAX_SLEEP_NANOS));
                    } catch (InterruptedException ie) {
                        interrupted = true;
                        break outer;
                    }
                    // The clock keeps moving while we wait for the next record.
                    double speed = pacer.speedAt(e.epochSecond());
                    Instant clock = e.time().minusNanos((long) (Math.max(0, due - System.nanoTime()) * speed));
                    tally.report(clock, pacer.inSlowMotion(e.epochSecond()));
                }
                // Clears the flag (set again before returning): flushing and closing the producer must not be
                // interrupted, or the run would end without its summary.
                if (Thread.interrupted()) {
                    interrupted = true;
                    break;
                }
                throwIfFailed(failure);
                send(producer, e.kind().onRatesTopic() ? options.ratesTopic() : options.declarationsTopic(), e, failure);
                tally.sent(e);
                tally.report(e.time(), pacer.inSlowMotion(e.epochSecond()));
            }
            producer.flush();
            throwIfFailed(failure);
        } finally {
            producer.close(interrupted ? Duration.ofSeconds(5) : Duration.ofSeconds(30));
        }
        Optional<Calibration.PlannedCrossing> crossing = generator.plannedCrossing();
        SimulationSummary summary = new SimulationSummary(options.year(), options.seed(), !interrupted,
                Map.copyOf(tally.counts), Duration.ofNanos(System.nanoTime() - tally.started), tally.total,
                generator.finalTotalCents(), crossing.map(Calibration.PlannedCrossing::at).orElse(null),
                generator.crossingDeclarationId());
        if (tally.simulated != null) {
            progress.onProgress(tally.progress(tally.simulated, false));
        }
        progress.onFinish(summary);
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("simulation interrupted after " + tally.records + " records");
        }
        return summary;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, SimEvent e, AtomicReference<Exception> failure) {
        producer.send(new ProducerRecord<>(topic, e.key().getBytes(StandardCharsets.UTF_8), e.value()), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
    }

    private static void throwIfFailed(AtomicReference<Exception> failure) {
        Exception failed = failure.get();
        if (failed != null) {
            throw new SimulatorException("the broker refused a record: " + failed.getMessage(), failed);
        }
    }

    /** What has been sent, and the progress reports about it (at most every quarter of a second). */
    private static final class Tally {
        final Map<SimEvent.Kind, Long> counts = new EnumMap<>(SimEvent.Kind.class);
        final long started = System.nanoTime();
        final long totalDeclarations;
        final ProgressListener listener;
        long records;
        long declarations;
        long total;
        Instant simulated;
        long lastReport = started;
        long recordsAtLastReport;
        double recentRate;

        Tally(long totalDeclarations, ProgressListener listener) {
            this.totalDeclarations = totalDeclarations;
            this.listener = listener;
        }

        void sent(SimEvent e) {
            counts.merge(e.kind(), 1L, Long::sum);
            records++;
            total += e.usdDeltaCents();
            if (e.kind() == SimEvent.Kind.ACCEPT) {
                declarations++;
            }
            simulated = e.time();
        }

        void report(Instant clock, boolean slowMotion) {
            if (System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
                listener.onProgress(progress(simulated != null && clock.isBefore(simulated) ? simulated : clock, slowMotion));
            }
        }

        Progress progress(Instant clock, boolean slowMotion) {
            long now = System.nanoTime();
            if (now > lastReport) {
                recentRate = (records - recordsAtLastReport) * 1e9 / (now - lastReport);
            }
            lastReport = now;
            recordsAtLastReport = records;
            return new Progress(clock, declarations, totalDeclarations, records, recentRate, total, slowMotion);
        }
    }

    /** The producer's settings: idempotent, acks=all, lz4, batched; the options' extras on top. */
    static Properties producerProperties(SimulatorOptions options) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "export-counter-simulator");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.putAll(options.producerProperties());
        return p;
    }

    /**
     * Creates the input topics when missing, with the contract's cleanup policies: declarations deleted by
     * retention ({@link SimulatorOptions#partitions()} partitions), rates compacted (one partition, so a
     * currency's rates stay in order). Existing topics are left as they are.
     */
    public static void createMissingTopics(SimulatorOptions options) {
        Properties admin = new Properties();
        Properties producer = producerProperties(options);
        for (String name : producer.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(name) && !name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                admin.put(name, producer.getProperty(name));
            }
        }
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "export-counter-simulator-admin");
        List<NewTopic> wanted = List.of(
                new NewTopic(options.declarationsTopic(), Optional.of(options.partitions()), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)),
                new NewTopic(options.ratesTopic(), Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try {
            MissingTopics.create(admin, wanted, Duration.ofSeconds(30));
        } catch (IllegalStateException e) {
            throw new SimulatorException(e.getMessage(), e);
        }
    }
}
