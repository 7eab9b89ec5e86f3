package io.exportcounter.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Kafka Streams application (a consumer group) has committed through its input topics, read
 * from the broker: a measure of progress that needs nothing from inside the measured JVM.
 */
final class GroupProgress {
    private final Admin admin;
    private final String group;
    private final Collection<String> topics;

    GroupProgress(Admin admin, String group, Collection<String> topics) {
        this.admin = admin;
        this.group = group;
        this.topics = topics;
    }

    record Snapshot(long committed, long end) {
        boolean caughtUp() {
            return committed >= end;
        }
    }

    /** Committed offsets and end offsets of one topic, summed over its partitions. */
    Snapshot of(String topic) {
        return snapshots().get(topic);
    }

    Map<String, Snapshot> snapshots() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()))
                    .partitionsToOffsetAndMetadata(group).get();
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<String, Snapshot> out = new HashMap<>();
            for (String topic : topics) {
                long c = 0;
                long e = 0;
                for (Map.Entry<TopicPartition, Long> p : end.entrySet()) {
                    if (p.getKey().topic().equals(topic)) {
                        e += p.getValue();
                        OffsetAndMetadata o = committed.get(p.getKey());
                        c += o == null ? 0 : o.offset();
                    }
                }
                out.put(topic, new Snapshot(c, e));
            }
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the progress of " + group + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** True when every topic's committed offsets have reached its end offsets. */
    boolean caughtUp() {
        return snapshots().values().stream().allMatch(Snapshot::caughtUp);
    }
}
