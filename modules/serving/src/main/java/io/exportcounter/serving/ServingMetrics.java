package io.exportcounter.serving;

import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The instance's Prometheus registry: Kafka Streams' own metrics, JVM and process metrics, and the
 * pipeline's. Every meter is registered once, when serving starts, and reads state that outlives
 * rebalances (the instance's {@link PipelineStats}, the live national total), so a rebalance neither
 * duplicates a meter nor leaves one at NaN; gauges hold their source strongly for the same reason.
 */
final class ServingMetrics implements AutoCloseable {
    /**
     * Buckets of the acceptedAt-to-counted delay, in seconds: sub-second in live operation, up to a month for
     * a backlog. A summary of seconds (a double sum) rather than a Timer (a sum of nanoseconds in a long): a
     * replay of last year's declarations would overflow the Timer's sum after a few hundred declarations.
     */
    private static final double[] DELAY_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400,
        604800, 2678400};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineStats stats;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final KafkaStreamsMetrics kafkaStreams;
    private final DistributionSummary countingDelay;

    ServingMetrics(KafkaStreams streams, PipelineStats stats, LiveEvents live, SseHub hub, String country) {
        this.stats = stats;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        kafkaStreams = new KafkaStreamsMetrics(streams);
        kafkaStreams.bindTo(registry);

        for (PipelineStats.Outcome outcome : PipelineStats.Outcome.values()) {
            FunctionCounter.builder("export.counter.declarations", stats, s -> s.count(outcome))
                    .description("Declaration events handled by this instance's stage-1 tasks, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("export.counter.declarations.waiting", stats, PipelineStats::waitingNow)
                .description("Declarations waiting for their exchange rate in this instance's tasks")
                .strongReference(true).register(registry);
        Gauge.builder("export.counter.entries.held", stats, PipelineStats::heldForOrderNow)
                .description("Change entries this instance's stage-2 task holds back until every stage-1 task has read "
                        + "past their acceptance time (milestones in acceptance order); grows while a task lags or is gone")
                .strongReference(true).register(registry);
        FunctionCounter.builder("export.counter.order.given.up", stats, PipelineStats::orderGivenUpCount)
                .description("Times this instance's stage-2 task reached order.max-waiting-entries and applied the waiting "
                        + "entries without waiting: until the lagging stage-1 tasks caught up, milestones could name "
                        + "declarations out of acceptance order")
                .register(registry);
        FunctionCounter.builder("export.counter.partitions.held.back", stats, PipelineStats::partitionsHeldBackCount)
                .description("Times a stage-1 task of this instance read its quota past stage 2's watermark and had its "
                        + "partition paused until the slowest task caught up (order.max-waiting-entries)")
                .register(registry);
        for (MilestoneKind kind : MilestoneKind.values()) {
            for (MilestoneType type : MilestoneType.values()) {
                FunctionCounter.builder("export.counter.milestones.emitted", stats, s -> s.milestonesEmitted(kind, type))
                        .description("Milestone events emitted by this instance's stage-2 task")
                        .tag("kind", kind.name()).tag("type", type.name())
                        .register(registry);
            }
        }
        Gauge.builder("export.counter.national.total", live, l -> l.national()[1] / 100.0)
                .description("The national total of the latest reporting year with counted declarations (the current"
                        + " year in live operation), USD; exact figures are on the API")
                .baseUnit("usd").tag("country", country).strongReference(true).register(registry);
        Gauge.builder("export.counter.national.total.year", live, l -> l.national()[0])
                .description("The reporting year of export_counter_national_total_usd (0 until one is known)")
                .tag("country", country).strongReference(true).register(registry);
        countingDelay = DistributionSummary.builder("export.counter.counting.delay")
                .description("Delay from a declaration's acceptedAt to its counting in stage 2 (this instance)")
                .baseUnit("seconds").serviceLevelObjectives(DELAY_BUCKETS)
                .register(registry);
        stats.onCountingDelay(ms -> countingDelay.record(ms / 1000.0));
        Gauge.builder("export.counter.live.clients", hub, SseHub::clients)
                .description("Connected /api/v1/events clients").strongReference(true).register(registry);
        FunctionCounter.builder("export.counter.live.clients.dropped", hub, SseHub::dropped)
                .description("/api/v1/events clients disconnected for falling " + SseHub.QUEUE + " events behind")
                .register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** One HTTP request, for http_server_requests_seconds. */
    void request(String method, String route, int status, float millis) {
        Timer.builder("http.server.requests").tag("method", method).tag("route", route)
                .tag("status", String.valueOf(status)).register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        stats.onCountingDelay(null);
        kafkaStreams.close();
        gc.close();
        registry.close();
    }
}
