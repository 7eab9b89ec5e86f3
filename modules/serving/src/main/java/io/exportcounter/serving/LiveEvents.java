package io.exportcounter.serving;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the totals and milestones topics as a committed (read_committed) consumer without a group, from
 * their end at start, and hands what it reads to the live-events clients: every milestone at once, totals
 * coalesced per key every {@value #COALESCE_MS} ms (a browser needs the latest value, not every step).
 * Each instance runs its own, so any instance serves {@code /api/v1/events}. It also keeps the latest
 * national annual total it saw, for the metrics.
 */
final class LiveEvents implements AutoCloseable {
    static final long COALESCE_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

    private final Properties consumerProps;
    private final String totalsTopic;
    private final String milestonesTopic;
    private final String nationalSuffix;
    private final SseHub hub;
    private final Thread thread;
    private volatile boolean closed;
    /** Ends a wait between reconnects at once when closing; interrupting the thread instead could hit a consumer close. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean following;

    /** Latest national annual total seen: year and cents, replaced together. */
    private volatile long[] national = {0, 0};

    LiveEvents(Properties clientProps, String clientId, String totalsTopic, String milestonesTopic, String country, SseHub hub) {
        this.consumerProps = new Properties();
        clientProps.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k.toString())) {
                consumerProps.put(k, v);
            }
        });
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Never create the output topics by asking for them: the pipeline creates them with their policies.
        consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.totalsTopic = totalsTopic;
        this.milestonesTopic = milestonesTopic;
        this.nationalSuffix = "|" + Dimension.NATIONAL.name() + "|" + country;
        this.hub = hub;
        this.thread = new Thread(this::run, "live-events-" + clientId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True once the consumer follows both topics. */
    boolean following() {
        return following;
    }

    /** The year of the latest national annual total seen (0 if none yet) and its cents. */
    long[] national() {
        return national;
    }

    /** Takes a national annual total from elsewhere (a store query), unless a newer year is known. */
    void offerNational(String year, long cents) {
        long y = Long.parseLong(year);
        long[] now = national;
        if (y >= now[0]) {
            national = new long[] {y, cents};
        }
    }

    private void run() {
        Map<String, String> pending = new LinkedHashMap<>();
        long lastFlush = System.nanoTime();
        while (!closed) {
            try {
                if (consumer == null && !connect()) {
                    sleep(1_000);
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null || r.key() == null) {
                        continue;
                    }
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    if (r.topic().equals(totalsTopic)) {
                        pending.put(r.key(), json);
                        noteNational(r.key(), r.value());
                    } else {
                        // Totals read before a milestone go out before it, so the page never shows a
                        // milestone ahead of the total that made it.
                        flush(pending);
                        hub.publishMilestone(json);
                    }
                }
                if (System.nanoTime() - lastFlush >= COALESCE_MS * 1_000_000) {
                    flush(pending);
                    lastFlush = System.nanoTime();
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                log.warn("Live events consumer failed, reconnecting: {}", e.toString());
                disconnect();
                sleep(1_000);
            }
        }
        disconnect();
    }

    private boolean connect() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(totalsTopic, milestonesTopic)) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    // The pipeline creates its topics when it starts; wait for them.
                    c.close(Duration.ZERO);
                    return false;
                }
                infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position);
            consumer = c;
            following = true;
            return true;
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            if (e instanceof WakeupException) {
                throw e;
            }
            log.debug("Live events cannot follow the output topics yet: {}", e.toString());
            return false;
        }
    }

    private void flush(Map<String, String> pending) {
        if (pending.isEmpty()) {
            return;
        }
        pending.forEach(hub::publishTotal);
        pending.clear();
    }

    private void noteNational(String key, byte[] value) {
        // {year}|NATIONAL|{country}: four digits, then the suffix.
        if (key.length() == 4 + nationalSuffix.length() && key.endsWith(nationalSuffix)) {
            try {
                Total t = ContractJson.instance().parseTotal(value);
                offerNational(t.period(), Money.toCents(t.totalUsd()));
            } catch (InvalidRecordException | RuntimeException e) {
                log.debug("Unreadable total {}: {}", key, e.toString());
            }
        }
    }

    private void disconnect() {
        KafkaConsumer<String, byte[]> c = consumer;
        consumer = null;
        following = false;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(1));
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    private void sleep(long ms) {
        try {
            stopped.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
