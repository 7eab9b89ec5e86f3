package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.config.PipelineConfig;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    @Test
    void the_pipeline_gets_its_topics_and_everything_under_its_application_id_and_nothing_on_the_cluster() {
        PipelineConfig config = PipelineConfig.defaults().with("streams.application.id", "counter-prod")
                .with("topics.totals", "prod.totals");
        List<String> grants = grants(KafkaAcls.pipeline("User:svc", config));
        assertThat(grants).contains("READ TOPIC LITERAL customs.export-declarations", "WRITE TOPIC LITERAL prod.totals",
                "CREATE TOPIC LITERAL prod.totals", "DELETE TOPIC PREFIXED counter-prod-", "READ GROUP LITERAL counter-prod",
                "WRITE TRANSACTIONAL_ID PREFIXED counter-prod-", "DESCRIBE_CONFIGS TOPIC PREFIXED counter-prod-")
                .doesNotContain("WRITE TOPIC LITERAL customs.export-declarations", "WRITE TOPIC LITERAL export.totals");
        assertThat(KafkaAcls.pipeline("User:svc", config)).allMatch(b -> b.pattern().resourceType() != ResourceType.CLUSTER)
                .allMatch(b -> b.entry().principal().equals("User:svc") && b.entry().host().equals("*"));
        // Without topic creation, no CREATE on the named topics
        assertThat(grants(KafkaAcls.pipeline("User:svc", config.with("topics.create-missing", "false"))))
                .noneMatch(g -> g.startsWith("CREATE TOPIC LITERAL"));
    }

    @Test
    void an_alerting_client_reads_the_milestones_in_its_group_only() {
        assertThat(grants(KafkaAcls.alerting("User:alerts", "export.milestones", "alerting")))
                .containsExactly("READ TOPIC LITERAL export.milestones", "DESCRIBE TOPIC LITERAL export.milestones",
                        "READ GROUP LITERAL alerting");
    }

    @Test
    void the_notifier_reads_milestones_and_writes_its_own_topics() {
        List<String> grants = grants(KafkaAcls.notifier("User:n", NotifierConfig.defaults()));
        assertThat(grants).contains("READ TOPIC LITERAL export.milestones", "WRITE TOPIC LITERAL export.notifications.delivered",
                "READ TOPIC LITERAL export.notifications.delivered", "WRITE TOPIC LITERAL export.notifications.dead",
                "READ GROUP LITERAL export-counter-notifier").doesNotContain("WRITE TOPIC LITERAL export.milestones");
    }

    @Test
    void the_command_prints_a_table_or_kafka_acls_commands_and_refuses_a_bad_principal() {
        Cli.Run table = Cli.run(Termination.manual(), "kafka", "acls", "--role", "alerting", "--principal", "User:a");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines()).hasSize(4).element(3).asString()
                .matches("ALLOW +User:a +READ +GROUP +LITERAL +export-counter-alerting");
        Cli.Run commands = Cli.run(Termination.manual(), "kafka", "acls", "--role", "alerting", "--principal", "User:a",
                "--format", "kafka-acls");
        assertThat(commands.out()).contains("--add --allow-principal User:a --operation Read --topic export.milestones");
        assertThatThrownBy(() -> KafkaAcls.alerting("alerts", "t", "g")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cli.run(Termination.manual(), "kafka", "acls", "--role", "admin", "--principal", "User:a").exitCode())
                .isEqualTo(ExportCounterCli.USAGE);
    }

    private static List<String> grants(List<AclBinding> bindings) {
        return bindings.stream().map(b -> b.entry().operation() + " " + b.pattern().resourceType() + " "
                + b.pattern().patternType() + " " + b.pattern().name()).toList();
    }
}
