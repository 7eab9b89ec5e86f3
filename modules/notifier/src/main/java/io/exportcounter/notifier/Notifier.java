package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: reads {@code export.milestones} with {@code read_committed} and, for each milestone
 * event, writes the English and Korean notice and delivers it on every enabled channel (webhook,
 * e-mail, Alertmanager, file outbox), once per channel.
 *
 * <p><b>Heads-up.</b> It also reads {@code export.forecasts} (read_committed too): when a forecast first expects a
 * threshold to be crossed within {@code forecast.approaching-horizon} of its {@code asOf} ({@link ApproachingRule}),
 * a heads-up notice goes out on every channel, marked as an estimate, once per year, total and threshold
 * ({@link HeadsUp#occurrenceKey()}). Nothing is ever written to the milestones topic.
 *
 * <p><b>Once per channel.</b> Records are handled one at a time on one thread. For each channel:
 * skip it if the delivery records ({@link DeliveryLedger}) say it is done; otherwise deliver (with
 * retries), then write the delivery record and wait for the broker's acknowledgement; only after every
 * channel is done is the milestone's offset committed. A crash anywhere before the record is written
 * repeats that one delivery on restart; a crash after it repeats nothing. What is left is the window
 * between a channel's success and the record's write (milliseconds): the webhook receiver drops the
 * repeat by its {@code Idempotency-Key}, Alertmanager updates the alert it already has (same labels),
 * the outbox finds the line already there, and an e-mail would go out a second time (with the same
 * {@code Message-ID}).
 *
 * <pre>{@code
 * try (Notifier notifier = new Notifier(NotifierConfig.load(path)).start()) {
 *     notifier.awaitStop();
 * }
 * }</pre>
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    /**
     * Test only: the name of a channel after whose delivery record the JVM halts (no shutdown hooks, no
     * commit), simulating a crash between recording and committing. Never set it in production. Public for the
     * fault suite (modules/faults), which runs the notifier from another package.
     */
    public static final String HALT_AFTER_RECORD_PROPERTY = "exportcounter.notifier.test.halt-after-record";
    /**
     * Test only: the name of a channel after whose successful delivery, before its delivery record, the JVM halts:
     * the window the README describes. Never set it in production. The JVM halts at the first such delivery it makes.
     */
    public static final String HALT_AFTER_DELIVERY_PROPERTY = "exportcounter.notifier.test.halt-after-delivery";
    /** The exit code of a JVM halted by one of the test hooks above. */
    public static final int HALT_EXIT_CODE = 77;

    private final NotifierConfig config;
    private final Notices notices;
    private final List<Channel> channels;
    private final Retrier retrier;
    /** Which thresholds of a forecast get a heads-up; null when heads-ups are off. */
    private final ApproachingRule rule;
    private final NotifierStats stats = new NotifierStats();
    private final NotifierMetrics metrics;
    private final ContractJson json = ContractJson.instance();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Object interruptLock = new Object();
    /** True while a channel attempt (or a retry wait) runs: the only time close() interrupts the worker. */
    private boolean inAttempt;
    private volatile boolean stopping;
    private volatile Throwable failure;

    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private DeliveryLedger ledger;
    private DurableWriter writer;
    private MetricsEndpoint metricsEndpoint;
    private Thread worker;

    /** Loads and checks the templates and builds the channels; connects to nothing yet. */
    public Notifier(NotifierConfig config) {
        this.config = config;
        this.notices = Notices.load(config);
        List<Channel> c = new ArrayList<>();
        if (config.webhookEnabled()) {
            c.add(new WebhookChannel(config.webhookUrl(), config.webhookSecret(), config.webhookConnectTimeout(),
                    config.webhookTimeout(), config.webhookFormat(), config.webhookEventSource()));
        }
        if (config.emailEnabled()) {
            c.add(new EmailChannel(config.smtpHost(), config.smtpPort(), config.smtpSecurity(), config.smtpUsername(),
                    config.smtpPassword(), config.emailFrom(), config.emailTo(), config.emailTimeout(),
                    config.mailProperties()));
        }
        if (config.alertmanagerEnabled()) {
            c.add(new AlertmanagerChannel(config.alertmanagerUrl(), config.alertmanagerConnectTimeout(),
                    config.alertmanagerTimeout(), config.alertmanagerSeverity(), config.alertmanagerGeneratorUrl(),
                    Clock.systemUTC()));
        }
        if (config.outboxEnabled()) {
            c.add(new OutboxChannel(config.outboxFile()));
        }
        this.channels = List.copyOf(c);
        this.metrics = new NotifierMetrics(channels.stream().map(Channel::name).toList());
        this.retrier = new Retrier(config, metrics::retried);
        this.rule = config.headsUpEnabled() ? new ApproachingRule(config.approachingHorizon()) : null;
    }

    /**
     * Serves the metrics (if {@code metrics.port} is set), creates missing topics (if allowed), opens the
     * channels and starts the notifier thread, which reads the delivery records and then follows the
     * milestones topic.
     *
     * @return this notifier
     */
    public synchronized Notifier start() {
        if (worker != null) {
            return this;
        }
        log.info("Starting {}", config);
        Integer port = config.metricsPort();
        if (port != null) {
            metricsEndpoint = MetricsEndpoint.start(port, metrics::scrape);
            log.info("Serving Prometheus metrics on http://0.0.0.0:{}{}", metricsEndpoint.port(), MetricsEndpoint.PATH);
        }
        try {
            if (config.createMissingTopics()) {
                NotifierTopics.createMissing(config);
            }
            for (Channel c : channels) {
                try {
                    c.open();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the " + c.name() + " channel: " + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            closeMetricsEndpoint();
            throw e;
        }
        try {
            producer = new KafkaProducer<>(config.producerProperties(), new StringSerializer(), new ByteArraySerializer());
            writer = new DurableWriter(producer, () -> stopping);
            ledger = new DeliveryLedger(config, writer);
            consumer = new KafkaConsumer<>(config.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
            metrics.bindKafkaClient(consumer);
        } catch (RuntimeException e) {
            if (ledger != null) {
                closeQuietly("delivery records reader", ledger::close);
            }
            if (producer != null) {
                closeQuietly("producer", producer::close);
            }
            channels.forEach(c -> closeQuietly(c.name(), c::close));
            closeMetricsEndpoint();
            throw e;
        }
        worker = new Thread(this::run, "notifier");
        worker.start();
        return this;
    }

    /** True once the delivery records are read and partitions (milestones, forecasts) are assigned to this notifier. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && stopped.getCount() > 0;
    }

    /** Blocks until the notifier stops; true if it stopped because of an error. */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failure != null;
    }

    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public NotifierStats stats() {
        return stats;
    }

    public NotifierConfig config() {
        return config;
    }

    /** The port of the Prometheus endpoint while it is served (the one taken for {@code metrics.port=0}), or -1. */
    public synchronized int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /** Stops the notifier: an attempt in progress is abandoned (and repeated on the next start). */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            stopping = true;
            w = worker;
        }
        if (w == null) {
            if (stopped.getCount() > 0) {
                channels.forEach(Channel::close);
                closeQuietly("metrics", metrics::close);
                stopped.countDown();
            }
            return;
        }
        if (stopped.getCount() == 0) {
            return; // already stopped: everything is closed
        }
        synchronized (interruptLock) {
            if (inAttempt) {
                w.interrupt();
            }
        }
        try {
            consumer.wakeup();
        } catch (RuntimeException alreadyClosed) {
            // The notifier thread closed it meanwhile: nothing to wake.
        }
        if (Thread.currentThread() != w) {
            try {
                w.join(60_000);
                if (w.isAlive()) {
                    log.warn("Notifier thread did not stop within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the notifier thread

    private void run() {
        try {
            ledger.load();
            log.info("Read the delivery records from {}: {} done", config.deliveredTopic(), ledger.size());
            List<String> topics = config.headsUpEnabled() ? List.of(config.milestonesTopic(), config.forecastsTopic())
                    : List.of(config.milestonesTopic());
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (partitions.isEmpty()) {
                        return;
                    }
                    // Another instance may have delivered while it held these partitions.
                    ledger.catchUp();
                    log.info("Notifying from {} (group {}; delivery records: {} done)", partitions, config.groupId(), ledger.size());
                    ready.countDown();
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        log.info("No longer notifying from {}", partitions);
                    }
                }
            });
            while (!stopping) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                handleBatch(batch);
            }
        } catch (WakeupException | InterruptException e) {
            if (!stopping) {
                failure = e;
                log.error("Notifier interrupted unexpectedly: {}", e.toString());
            }
        } catch (Throwable t) {
            failure = t;
            log.error("Notifier stopped by an error: {}", t.toString(), t);
        } finally {
            closeMetricsEndpoint();
            closeQuietly("metrics", metrics::close);
            closeQuietly("milestones consumer", () -> consumer.close());
            closeQuietly("delivery records reader", () -> ledger.close());
            closeQuietly("producer", () -> producer.close());
            channels.forEach(c -> closeQuietly(c.name(), c::close));
            log.info("Notifier stopped ({})", stats);
            stopped.countDown();
        }
    }

    private void handleBatch(List<ConsumerRecord<String, byte[]>> batch) {
        // Next offset to handle per partition, to rewind to if the batch is left half done.
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            next.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        for (ConsumerRecord<String, byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (stopping || !handle(r)) {
                return; // not committed: handled again on the next start
            }
            (isForecast(r) ? stats.forecasts : stats.milestones).incrementAndGet();
            next.put(tp, r.offset() + 1);
            if (!commit(tp, r.offset() + 1)) {
                // Lost the partition (rebalance) or could not commit: read again from what is committed
                // and let the delivery records skip what is done.
                next.forEach((p, offset) -> {
                    if (consumer.assignment().contains(p)) {
                        consumer.seek(p, offset);
                    }
                });
                return;
            }
        }
    }

    private boolean commit(TopicPartition tp, long offset) {
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
            return true;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("Cannot commit offset {} of {}: {}; its deliveries are recorded and will not be repeated",
                    offset, tp, e.toString());
            return false;
        }
    }

    private boolean isForecast(ConsumerRecord<String, byte[]> r) {
        return config.headsUpEnabled() && r.topic().equals(config.forecastsTopic());
    }

    /** Handles one record on every channel; false if the notifier stopped before it was done. */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        return isForecast(r) ? handleForecast(r) : handleMilestone(r);
    }

    /**
     * A forecast: a heads-up on every channel for each threshold expected within the horizon, the first time only
     * (the delivery records know the others). Never anything on the milestones topic.
     */
    private boolean handleForecast(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return true; // a tombstone on the compacted topic: nothing is expected any more
        }
        Forecast f;
        try {
            f = json.parseForecast(r.value());
        } catch (InvalidRecordException | RuntimeException e) {
            String reason = "not a valid forecast: " + (e instanceof InvalidRecordException ? e.getMessage() : e.toString());
            return unreadable(r, reason, () -> metrics.forecast(NotifierMetrics.ForecastOutcome.UNREADABLE));
        }
        List<HeadsUp> due = rule.due(f);
        if (due.isEmpty()) {
            metrics.forecast(NotifierMetrics.ForecastOutcome.NONE_DUE);
            return true;
        }
        Instant madeAt = Instant.ofEpochMilli(r.timestamp());
        if (config.maxAge() != null && madeAt.isBefore(Instant.now().minus(config.maxAge()))) {
            log.info("Forecast {} was made at {}, more than {} ago: no heads-up (notices.max-age)", f.key(), madeAt,
                    config.maxAge());
            stats.tooOld.incrementAndGet();
            metrics.forecast(NotifierMetrics.ForecastOutcome.TOO_OLD);
            return true;
        }
        boolean sent = false;
        for (HeadsUp h : due) {
            HeadsUpDelivery d;
            try {
                d = HeadsUpDelivery.of(h, notices.write(h), madeAt);
            } catch (RuntimeException e) {
                return unreadable(r, "cannot write the heads-up of " + h.occurrenceKey() + ": " + e,
                        () -> metrics.forecast(NotifierMetrics.ForecastOutcome.UNREADABLE));
            }
            // Every later forecast within the horizon comes here too: once each channel has it, say nothing.
            if (channels.stream().allMatch(c -> ledger.outcome(d.ledgerKey(c.name())) != null)) {
                continue;
            }
            log.info("Forecast {} as of {} expects {} at {}: heads-up on {}", f.key(), ContractJson.formatDateTime(f.asOf()),
                    Amounts.english(h.threshold().thresholdUsd()),
                    ContractJson.formatDateTime(h.threshold().expectedAt()), channels.stream().map(Channel::name).toList());
            for (Channel c : channels) {
                if (!deliver(c, d, r)) {
                    return false;
                }
            }
            sent = true;
        }
        metrics.forecast(sent ? NotifierMetrics.ForecastOutcome.HEADS_UP : NotifierMetrics.ForecastOutcome.ALREADY_NOTIFIED);
        return true;
    }

    /** Writes a record that cannot be notified to the dead-letter topic; false if the notifier stopped first. */
    private boolean unreadable(ConsumerRecord<String, byte[]> r, String reason, Runnable count) {
        log.warn("Record {}-{}@{} is {}; written to {}", r.topic(), r.partition(), r.offset(), reason,
                config.deadLetterTopic());
        stats.unreadable.incrementAndGet();
        count.run();
        String text = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        String key = r.topic() + "-" + r.partition() + "@" + r.offset();
        return writer.write(new ProducerRecord<>(config.deadLetterTopic(), key,
                Json.deadLetter(null, null, reason, 0, Instant.now(), r.topic(), r.partition(), r.offset(), text)));
    }

    /** A milestone event: its notice on every channel. */
    private boolean handleMilestone(ConsumerRecord<String, byte[]> r) {
        Milestone m;
        MilestoneDelivery d;
        try {
            m = json.parseMilestone(r.value());
            d = Delivery.of(m, notices.write(m));
        } catch (InvalidRecordException | RuntimeException e) {
            String reason = e instanceof InvalidRecordException ? "not a valid milestone: " + e.getMessage()
                    : "cannot write the notice: " + e;
            return unreadable(r, reason, () -> metrics.milestone(NotifierMetrics.MilestoneOutcome.UNREADABLE));
        }
        if (config.maxAge() != null && m.detectedAt().isBefore(Instant.now().minus(config.maxAge()))) {
            log.info("Milestone {} was detected at {}, more than {} ago: not notified (notices.max-age)",
                    d, m.detectedAt(), config.maxAge());
            stats.tooOld.incrementAndGet();
            metrics.milestone(NotifierMetrics.MilestoneOutcome.TOO_OLD);
            return true;
        }
        log.info("Milestone {} (crossedAt {}): notifying {}", d, m.crossedAt() == null ? "-" : ContractJson.formatDateTime(m.crossedAt()),
                channels.stream().map(Channel::name).toList());
        for (Channel c : channels) {
            if (!deliver(c, d, r)) {
                return false;
            }
        }
        metrics.milestone(NotifierMetrics.MilestoneOutcome.NOTIFIED);
        return true;
    }

    private boolean deliver(Channel c, Delivery d, ConsumerRecord<String, byte[]> r) {
        String key = d.ledgerKey(c.name());
        String previous = ledger.outcome(key);
        if (previous != null) {
            log.info("{} of {} already done ({}); not sent again", c.name(), d, previous);
            stats.alreadyDone.incrementAndGet();
            metrics.alreadyDone(c.name());
            return true;
        }
        Retrier.Outcome outcome;
        synchronized (interruptLock) {
            if (stopping) {
                return false;
            }
            inAttempt = true;
        }
        try {
            outcome = retrier.deliver(c, d);
        } catch (InterruptedException e) {
            log.info("{} delivery of {} abandoned: the notifier is stopping (it is repeated on the next start)",
                    c.name(), d);
            return false;
        } finally {
            synchronized (interruptLock) {
                inAttempt = false;
            }
            Thread.interrupted(); // an interrupt aimed at the attempt must not hit the record's write
        }
        Instant now = Instant.now();
        if (outcome.last().delivered()) {
            haltIfTestAsks(HALT_AFTER_DELIVERY_PROPERTY, c.name());
            if (!ledger.record(key, Json.ledgerValue(d, c.name(), "DELIVERED", outcome.attempts(), now), "DELIVERED")) {
                return false;
            }
            log.info("Delivered {} by {} ({} attempt{}: {})", d, c.name(), outcome.attempts(),
                    outcome.attempts() == 1 ? "" : "s", outcome.last().reason());
            stats.delivered.incrementAndGet();
            metrics.delivered(c.name(), Duration.between(d.madeAt(), now));
        } else {
            String reason = outcome.last().reason();
            byte[] letter = Json.deadLetter(d, c.name(), reason, outcome.attempts(), now, r.topic(), r.partition(),
                    r.offset(), null);
            if (!writer.write(new ProducerRecord<>(config.deadLetterTopic(), key, letter))
                    || !ledger.record(key, Json.ledgerValue(d, c.name(), "DEAD_LETTERED", outcome.attempts(), now),
                            "DEAD_LETTERED")) {
                return false;
            }
            log.warn("Gave up {} delivery of {} after {} attempt{} ({}); written to {}", c.name(), d, outcome.attempts(),
                    outcome.attempts() == 1 ? "" : "s", reason, config.deadLetterTopic());
            stats.deadLettered.incrementAndGet();
            metrics.deadLettered(c.name());
        }
        haltIfTestAsks(HALT_AFTER_RECORD_PROPERTY, c.name());
        return true;
    }

    private synchronized void closeMetricsEndpoint() {
        if (metricsEndpoint != null) {
            closeQuietly("metrics endpoint", metricsEndpoint::close);
            metricsEndpoint = null;
        }
    }

    private static void haltIfTestAsks(String property, String channel) {
        if (channel.equals(System.getProperty(property))) {
            log.warn("Test hook {}={}: halting the JVM", property, channel);
            Runtime.getRuntime().halt(HALT_EXIT_CODE);
        }
    }

    private static void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("Closing the {} failed: {}", what, e.toString());
        }
    }
}
