package io.exportcounter.notifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.exportcounter.contract.topics.MissingTopics;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the notifier reads and writes when they are missing; existing ones are left alone. */
public final class NotifierTopics {
    private static final Logger log = LoggerFactory.getLogger(NotifierTopics.class);

    private NotifierTopics() {
    }

    public static void createMissing(NotifierConfig config) {
        Optional<Short> rf = config.replicationFactor() < 0 ? Optional.empty() : Optional.of(config.replicationFactor());
        List<NewTopic> wanted = new ArrayList<>();
        // The pipeline creates the milestones topic the same way; whoever starts first creates it.
        wanted.add(new NewTopic(config.milestonesTopic(), Optional.of(1), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, "-1")));
        // The pipeline creates the forecasts topic the same way: only the latest forecast per total and year matters.
        if (config.headsUpEnabled()) {
            wanted.add(new NewTopic(config.forecastsTopic(), Optional.of(1), rf).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        // One record per occurrence and channel, the latest per key: compacted, never deleted by age.
        wanted.add(new NewTopic(config.deliveredTopic(), Optional.of(1), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Dead letters wait for an operator, however long that takes.
        wanted.add(new NewTopic(config.deadLetterTopic(), Optional.of(1), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, "-1")));
        MissingTopics.create(config.adminProperties(), wanted, Duration.ofSeconds(60));
    }
}
