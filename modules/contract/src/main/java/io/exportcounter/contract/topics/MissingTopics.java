package io.exportcounter.contract.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a program needs that do not exist yet (CONTRACT.md section 1, with their cleanup
 * policies), as the pipeline, the notifier and the simulator do at start. Topics that exist are left
 * as they are; a topic another program creates at the same moment is fine.
 *
 * <p>Returns only once every partition of the topics it created takes writes ({@link #awaitWritable}):
 * an idempotent producer whose first batch to a new partition is refused (while a later one is
 * accepted) fails for good with OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
public final class MissingTopics {
    private static final Logger log = LoggerFactory.getLogger(MissingTopics.class);

    private MissingTopics() {
    }

    /**
     * @param admin admin client settings (bootstrap servers, security)
     * @return the names of the topics it created
     * @throws IllegalStateException naming the topic or the cluster when Kafka refuses or cannot be reached
     */
    public static Set<String> create(Map<?, ?> admin, List<NewTopic> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties settings = new Properties();
        settings.putAll(admin);
        try (Admin client = Admin.create(settings)) {
            Set<String> existing = client.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            Set<String> created = new LinkedHashSet<>();
            for (var entry : client.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
                    created.add(entry.getKey());
                    log.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
            awaitWritable(client, missing.stream().map(NewTopic::name).toList(), deadline);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list or create topics on " + admin.get("bootstrap.servers") + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader that takes writes. Metadata naming a
     * leader is not enough: a broker publishes it before its replica manager has become leader (and,
     * after a restart, before it has loaded the log), and a produce in between is refused with
     * NOT_LEADER_OR_FOLLOWER. ListOffsets is answered by the acting leader only, so once it succeeds for
     * every partition, so does a produce.
     *
     * @throws TimeoutException when they do not within {@code timeout}
     */
    public static void awaitWritable(Admin client, Collection<String> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        awaitWritable(client, topics, System.nanoTime() + timeout.toNanos());
    }

    private static void awaitWritable(Admin client, Collection<String> topics, long deadline)
            throws InterruptedException, TimeoutException {
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
                for (TopicDescription d : client.describeTopics(topics).allTopicNames()
                        .get(remaining(deadline), TimeUnit.NANOSECONDS).values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                    }
                }
                client.listOffsets(partitions).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                last = e; // not led yet, or metadata not propagated yet
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("the partitions of " + topics + " have no leader taking writes yet"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
