package io.exportcounter.app;

import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The ACLs each Export Counter principal needs on a cluster that authorizes (CONTRACT.md's topics, as the configuration
 * names them), and nothing more. Every grant is ALLOW from any host.
 *
 * <ul>
 *   <li>{@link Role#PIPELINE}: read the two input topics; write the four outputs (and read totals and milestones, which
 *       its live events and status follow); read and write its own two topics; create the eight when
 *       {@code topics.create-missing=true}; everything Kafka Streams does under the application id: its internal topics
 *       ({@code <application.id>-} prefix: create, read, write, describe, describe their configs, delete records of
 *       repartition topics), its consumer group ({@code <application.id>}) and its exactly-once transactional ids
 *       ({@code <application.id>-} prefix).</li>
 *   <li>{@link Role#ALERTING}: read {@code export.milestones} in its own consumer group.</li>
 *   <li>{@link Role#NOTIFIER}: read the milestones and the forecasts (for the heads-up notice); read and write its
 *       delivery record; write its dead letters; create those when {@code topics.create-missing=true}; its consumer
 *       group.</li>
 * </ul>
 *
 * <p>No cluster-wide grant: since Kafka 3.0 an idempotent producer needs WRITE on a topic, not IDEMPOTENT_WRITE on the
 * cluster, and neither Streams nor the notifier needs anything else on the cluster.
 */
final class KafkaAcls {
    enum Role { PIPELINE, ALERTING, NOTIFIER }

    private final String principal;
    private final List<AclBinding> bindings = new ArrayList<>();

    private KafkaAcls(String principal) {
        if (!principal.matches("[A-Za-z]+:.+")) {
            throw new IllegalArgumentException("a principal is TYPE:NAME, e.g. User:export-counter, not '" + principal + "'");
        }
        this.principal = principal;
    }

    static List<AclBinding> pipeline(String principal, PipelineConfig config) {
        String appId = config.streamsValue(StreamsConfig.APPLICATION_ID_CONFIG) == null
                ? PipelineConfig.defaults().with(PipelineConfig.STREAMS_PREFIX + StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused")
                        .streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG)
                : config.streamsValue(StreamsConfig.APPLICATION_ID_CONFIG);
        KafkaAcls acls = new KafkaAcls(principal);
        for (String input : List.of(config.declarationsTopic(), config.ratesTopic())) {
            acls.topic(input, AclOperation.READ, AclOperation.DESCRIBE);
        }
        // Totals and milestones are read back by the instance's live events and status.
        for (String output : List.of(config.totalsTopic(), config.milestonesTopic())) {
            acls.topic(output, AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
        }
        acls.topic(config.rejectedTopic(), AclOperation.WRITE, AclOperation.DESCRIBE);
        acls.topic(config.forecastsTopic(), AclOperation.WRITE, AclOperation.DESCRIBE);
        for (String own : List.of(config.ratesByWeekTopic(), config.stageOnePaceTopic())) {
            acls.topic(own, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        if (config.createMissingTopics()) {
            for (String topic : List.of(config.declarationsTopic(), config.ratesTopic(), config.totalsTopic(),
                    config.milestonesTopic(), config.forecastsTopic(), config.rejectedTopic(), config.ratesByWeekTopic(),
                    config.stageOnePaceTopic())) {
                acls.topic(topic, AclOperation.CREATE);
            }
        }
        // Kafka Streams: internal topics (changelogs, repartition topics) and transactional ids are named <appId>-...
        acls.add(ResourceType.TOPIC, appId + "-", PatternType.PREFIXED, AclOperation.CREATE, AclOperation.READ,
                AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.DELETE);
        acls.add(ResourceType.GROUP, appId, PatternType.LITERAL, AclOperation.READ);
        acls.add(ResourceType.TRANSACTIONAL_ID, appId + "-", PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
        return acls.bindings;
    }

    static List<AclBinding> alerting(String principal, String milestonesTopic, String group) {
        KafkaAcls acls = new KafkaAcls(principal);
        acls.topic(milestonesTopic, AclOperation.READ, AclOperation.DESCRIBE);
        acls.add(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ);
        return acls.bindings;
    }

    static List<AclBinding> notifier(String principal, NotifierConfig config) {
        KafkaAcls acls = new KafkaAcls(principal);
        acls.topic(config.milestonesTopic(), AclOperation.READ, AclOperation.DESCRIBE);
        if (config.headsUpEnabled()) {
            acls.topic(config.forecastsTopic(), AclOperation.READ, AclOperation.DESCRIBE);
        }
        acls.topic(config.deliveredTopic(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        acls.topic(config.deadLetterTopic(), AclOperation.WRITE, AclOperation.DESCRIBE);
        if (config.createMissingTopics()) {
            List<String> created = new ArrayList<>(List.of(config.milestonesTopic(), config.deliveredTopic(),
                    config.deadLetterTopic()));
            if (config.headsUpEnabled()) {
                created.add(config.forecastsTopic());
            }
            for (String topic : created) {
                acls.topic(topic, AclOperation.CREATE);
            }
        }
        acls.add(ResourceType.GROUP, config.groupId(), PatternType.LITERAL, AclOperation.READ);
        return acls.bindings;
    }

    /** One line per ACL, aligned: {@code ALLOW User:x READ TOPIC LITERAL customs.export-declarations}. */
    static List<String> describe(List<AclBinding> bindings) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-10s %-28s %-17s %-16s %-9s %s", "PERMISSION", "PRINCIPAL", "OPERATION", "RESOURCE",
                "PATTERN", "NAME"));
        for (AclBinding b : bindings) {
            lines.add(String.format("%-10s %-28s %-17s %-16s %-9s %s", b.entry().permissionType(), b.entry().principal(),
                    b.entry().operation(), b.pattern().resourceType(), b.pattern().patternType(), b.pattern().name()));
        }
        return lines;
    }

    /** The same grants as Kafka's own {@code kafka-acls.sh} commands, for operators who apply them that way. */
    static List<String> asKafkaAclsCommands(List<AclBinding> bindings) {
        List<String> lines = new ArrayList<>();
        for (AclBinding b : bindings) {
            String resource = switch (b.pattern().resourceType()) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                case CLUSTER -> "--cluster";
                default -> throw new IllegalStateException("unexpected resource " + b.pattern().resourceType());
            };
            lines.add("kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties --add --allow-principal "
                    + b.entry().principal() + " --operation " + camel(b.entry().operation().name()) + " " + resource + " "
                    + b.pattern().name() + (b.pattern().patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : ""));
        }
        return lines;
    }

    private static String camel(String operation) {
        StringBuilder out = new StringBuilder();
        for (String word : operation.toLowerCase(Locale.ROOT).split("_")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private void topic(String name, AclOperation... operations) {
        add(ResourceType.TOPIC, name, PatternType.LITERAL, operations);
    }

    private void add(ResourceType type, String name, PatternType pattern, AclOperation... operations) {
        for (AclOperation operation : operations) {
            AclBinding binding = new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
            if (!bindings.contains(binding)) {
                bindings.add(binding);
            }
        }
    }
}
