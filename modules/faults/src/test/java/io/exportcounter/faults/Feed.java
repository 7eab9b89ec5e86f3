package io.exportcounter.faults;

import io.exportcounter.simulator.SimEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Customs' side of a scenario: the calibrated year sent in {@code chunks} equal parts, one every
 * {@code pause}, on a thread of its own, by an idempotent producer with acks=all that retries for as long as
 * the cluster needs (as a customs system would), so that the faults of a scenario fall while the year is
 * being counted and a cluster that stops taking writes holds the feed back rather than losing records.
 */
final class Feed implements AutoCloseable {
    private final CalibratedYear year;
    private final String declarationsTopic;
    private final String ratesTopic;
    private final int chunks;
    private final Duration pause;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger chunksSent = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    Feed(Map<String, Object> client, CalibratedYear year, String declarationsTopic, String ratesTopic, int chunks,
            Duration pause) {
        this.year = year;
        this.declarationsTopic = declarationsTopic;
        this.ratesTopic = ratesTopic;
        this.chunks = chunks;
        this.pause = pause;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(10).toMillis());
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "fault-suite-feed");
        thread.setDaemon(true);
    }

    Feed start() {
        thread.start();
        return this;
    }

    private void run() {
        List<SimEvent> events = year.events;
        try {
            for (int c = 0; c < chunks; c++) {
                for (SimEvent e : events.subList(c * events.size() / chunks, (c + 1) * events.size() / chunks)) {
                    String topic = e.kind().onRatesTopic() ? ratesTopic : declarationsTopic;
                    producer.send(new ProducerRecord<>(topic, e.key().getBytes(StandardCharsets.UTF_8), e.value()),
                            (metadata, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                }
                            });
                }
                producer.flush();
                chunksSent.incrementAndGet();
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The share of the year acknowledged by the cluster, 0 to 1. */
    double sent() {
        return chunksSent.get() / (double) chunks;
    }

    boolean done() {
        return chunksSent.get() == chunks;
    }

    /** Throws if a record could not be sent: the scenario would then check totals against a year not all there. */
    void assertNoFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the feed could not send the year: " + t, t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
        producer.close(Duration.ofSeconds(10));
    }
}
