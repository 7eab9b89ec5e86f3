package io.exportcounter.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The notifier's Prometheus registry: deliveries by channel and outcome, retries, dead letters, the delay from
 * a milestone's detection to its delivery, the milestones consumer's Kafka metrics (lag on the milestones topic)
 * and JVM and process metrics. Every series of the enabled channels is registered at zero when the notifier is
 * built, so Prometheus' {@code increase()} sees the first dead letter as a change from 0.
 */
final class NotifierMetrics implements AutoCloseable {
    /** The {@code channel} of a dead letter for a record that is not a valid milestone (no channel was tried). */
    static final String NO_CHANNEL = "none";

    /**
     * Buckets of the detectedAt-to-delivered delay, in seconds: seconds in live operation, minutes with retries,
     * up to {@code notices.max-age} (7 days) for a new group reading old milestones. A summary of seconds, as the
     * pipeline's counting delay.
     */
    private static final double[] LAG_BUCKETS = {0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400, 604800};

    /** What became of one delivery on one channel. */
    enum Outcome { DELIVERED, DEAD_LETTERED, ALREADY_DONE }

    /** What became of one record of the milestones topic. */
    enum MilestoneOutcome { NOTIFIED, TOO_OLD, UNREADABLE }

    /**
     * What became of one record of the forecasts topic: a heads-up sent, none due (no threshold expected within the
     * horizon), already notified (every channel did before), too old, unreadable.
     */
    enum ForecastOutcome { HEADS_UP, NONE_DUE, ALREADY_NOTIFIED, TOO_OLD, UNREADABLE }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Counter> deliveries = new HashMap<>();
    private final Map<String, Counter> retries = new HashMap<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();
    private final Map<String, DistributionSummary> lag = new HashMap<>();
    private final Map<MilestoneOutcome, Counter> milestones = new HashMap<>();
    private final Map<ForecastOutcome, Counter> forecasts = new HashMap<>();
    private final List<KafkaClientMetrics> kafkaClients = new ArrayList<>();

    NotifierMetrics(List<String> channels) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        for (String channel : channels) {
            for (Outcome outcome : Outcome.values()) {
                deliveries.put(channel + "|" + outcome, Counter.builder("export.counter.notifier.deliveries")
                        .description("Deliveries of notices (milestones and heads-ups) by channel and outcome: delivered, dead_lettered (given up after "
                                + "the last attempt or a permanent failure), already_done (skipped: the delivery records "
                                + "say it was done before)")
                        .tag("channel", channel).tag("outcome", lower(outcome)).register(registry));
            }
            retries.put(channel, Counter.builder("export.counter.notifier.retries")
                    .description("Delivery attempts that failed with a retryable error and are tried again (retry.*)")
                    .tag("channel", channel).register(registry));
            lag.put(channel, DistributionSummary.builder("export.counter.notifier.delivery.lag")
                    .description("Delay from a milestone's detectedAt (a heads-up: when its forecast was made) to its delivery on a channel, retries included")
                    .baseUnit("seconds").serviceLevelObjectives(LAG_BUCKETS)
                    .tag("channel", channel).register(registry));
        }
        List<String> deadLetterChannels = new ArrayList<>(channels);
        deadLetterChannels.add(NO_CHANNEL);
        for (String channel : deadLetterChannels) {
            deadLetters.put(channel, Counter.builder("export.counter.notifier.dead.letters")
                    .description("Records written to the dead-letter topic: deliveries given up, by channel, and records "
                            + "of the milestones or forecasts topic that are not a valid milestone or forecast (channel=\"" + NO_CHANNEL + "\")")
                    .tag("channel", channel).register(registry));
        }
        for (MilestoneOutcome outcome : MilestoneOutcome.values()) {
            milestones.put(outcome, Counter.builder("export.counter.notifier.milestones")
                    .description("Records of the milestones topic handled: notified, too_old (older than "
                            + "notices.max-age: not notified), unreadable (not a valid milestone: dead-lettered)")
                    .tag("outcome", lower(outcome)).register(registry));
        }
        for (ForecastOutcome outcome : ForecastOutcome.values()) {
            forecasts.put(outcome, Counter.builder("export.counter.notifier.forecasts")
                    .description("Records of the forecasts topic handled: heads_up (a heads-up sent), none_due (no "
                            + "threshold expected within forecast.approaching-horizon), already_notified, too_old, "
                            + "unreadable (not a valid forecast: dead-lettered)")
                    .tag("outcome", lower(outcome)).register(registry));
        }
    }

    /** The Kafka client's own metrics (for the milestones consumer: its lag), until {@link #close()}. */
    void bindKafkaClient(Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        synchronized (kafkaClients) {
            kafkaClients.add(m);
        }
    }

    void delivered(String channel, Duration sinceDetected) {
        deliveries.get(channel + "|" + Outcome.DELIVERED).increment();
        lag.get(channel).record(Math.max(0, sinceDetected.toMillis()) / 1000.0);
    }

    void deadLettered(String channel) {
        deliveries.get(channel + "|" + Outcome.DEAD_LETTERED).increment();
        deadLetters.get(channel).increment();
    }

    void alreadyDone(String channel) {
        deliveries.get(channel + "|" + Outcome.ALREADY_DONE).increment();
    }

    void retried(String channel) {
        retries.get(channel).increment();
    }

    void milestone(MilestoneOutcome outcome) {
        milestones.get(outcome).increment();
        if (outcome == MilestoneOutcome.UNREADABLE) {
            deadLetters.get(NO_CHANNEL).increment();
        }
    }

    void forecast(ForecastOutcome outcome) {
        forecasts.get(outcome).increment();
        if (outcome == ForecastOutcome.UNREADABLE) {
            deadLetters.get(NO_CHANNEL).increment();
        }
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        synchronized (kafkaClients) {
            kafkaClients.forEach(KafkaClientMetrics::close);
            kafkaClients.clear();
        }
        gc.close();
        registry.close();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
