package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierConfigTest {
    private static final String SECRET = "s3cr3t-webhook-key-do-not-log";

    @Test
    void the_documented_file_loads_and_matches_the_defaults() throws Exception {
        // config/notifier.properties documents every key; it must load as it is shipped.
        NotifierConfig file = NotifierConfig.load(Path.of(System.getProperty("project.root", "../.."), "config",
                "notifier.properties"));
        NotifierConfig defaults = NotifierConfig.defaults();

        assertThat(file.milestonesTopic()).isEqualTo("export.milestones").isEqualTo(defaults.milestonesTopic());
        assertThat(file.deliveredTopic()).isEqualTo("export.notifications.delivered").isEqualTo(defaults.deliveredTopic());
        assertThat(file.deadLetterTopic()).isEqualTo("export.notifications.dead").isEqualTo(defaults.deadLetterTopic());
        assertThat(file.zone()).hasToString("Asia/Seoul");
        assertThat(file.outboxEnabled()).isTrue();
        assertThat(file.webhookEnabled()).isFalse();
        assertThat(file.webhookFormat()).isEqualTo(defaults.webhookFormat());
        assertThat(file.webhookEventSource()).isEqualTo(defaults.webhookEventSource());
        assertThat(file.alertmanagerEnabled()).isFalse();
        assertThat(file.consumerProperties()).containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false").containsEntry("group.id", "export-counter-notifier");
        assertThat(file.metricsPort()).as("the shipped file serves metrics").isEqualTo(9464);
        assertThat(defaults.metricsPort()).as("off unless asked for").isNull();
        // The keys written in the file itself (toProperties() would add the missing ones from the defaults)
        Properties written = new Properties();
        try (var in = Files.newBufferedReader(Path.of(System.getProperty("project.root", "../.."), "config",
                "notifier.properties"))) {
            written.load(in);
        }
        for (String key : defaults.toProperties().stringPropertyNames()) {
            assertThat(written).as("config/notifier.properties documents %s", key).containsKey(key);
        }
    }

    @Test
    void an_unknown_key_is_named() {
        Properties p = new Properties();
        p.setProperty("webhook.ulr", "http://x");

        assertThatThrownBy(() -> NotifierConfig.fromProperties(p))
                .isInstanceOf(NotifierConfigException.class)
                .hasMessageStartingWith("config key 'webhook.ulr': unknown key")
                .extracting(e -> ((NotifierConfigException) e).key()).isEqualTo("webhook.ulr");
    }

    @Test
    void bad_values_are_named() {
        assertKeyNamed("retry.max-attempts", "0");
        assertKeyNamed("retry.initial-backoff", "1s");
        assertKeyNamed("reporting.zone", "Asia/Busan");
        assertKeyNamed("topics.delivered", "bad topic");
        assertKeyNamed("kafka.isolation.level", "read_uncommitted");
        assertKeyNamed("kafka.enable.auto.commit", "true");
        assertKeyNamed("kafka.bootstrap.server", "x:9092");
        assertKeyNamed("webhook.format", "xml");
        assertKeyNamed("webhook.cloudevents.source", "not a uri");
        assertKeyNamed("alertmanager.url", "alertmanager:9093");
        assertKeyNamed("alertmanager.url", "ftp://alertmanager:9093");
        assertKeyNamed("metrics.port", "-1");
        assertKeyNamed("metrics.port", "9464/tcp");
    }

    @Test
    void the_webhook_sends_cloudevents_unless_told_plain() {
        NotifierConfig defaults = NotifierConfig.defaults();
        assertThat(defaults.webhookFormat()).isEqualTo(NotifierConfig.WebhookFormat.CLOUDEVENTS);
        assertThat(defaults.webhookEventSource()).hasToString("urn:export-counter:notifier");

        Properties p = new Properties();
        p.setProperty("webhook.format", "PLAIN");
        p.setProperty("webhook.cloudevents.source", "https://export-counter.example.com/prod");
        NotifierConfig plain = NotifierConfig.fromProperties(p);
        assertThat(plain.webhookFormat()).isEqualTo(NotifierConfig.WebhookFormat.PLAIN);
        assertThat(plain.webhookEventSource()).hasToString("https://export-counter.example.com/prod");
        assertThatThrownBy(() -> plain.with("webhook.format", "cloud-events"))
                .hasMessage("config key 'webhook.format': must be cloudevents or plain, was 'cloud-events'");
    }

    @Test
    void the_alertmanager_channel_is_on_when_its_url_is_set() {
        assertThat(NotifierConfig.defaults().alertmanagerEnabled()).isFalse();

        Properties p = new Properties();
        p.setProperty("outbox.enabled", "false");
        p.setProperty("alertmanager.url", "http://alertmanager:9093");
        p.setProperty("kafka.bootstrap.servers", "localhost:9092");
        NotifierConfig c = NotifierConfig.fromProperties(p);

        // Enough on its own: it is a channel like the others
        assertThat(c.alertmanagerEnabled()).isTrue();
        assertThat(c.alertmanagerUrl()).hasToString("http://alertmanager:9093");
        assertThat(c.alertmanagerSeverity()).isEqualTo("info");
        assertThat(c.alertmanagerGeneratorUrl()).isNull();
        assertThat(c.alertmanagerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.toString()).contains("alertmanager http://alertmanager:9093");
        // Its timeouts count in the time one milestone may take
        assertThat(c.worstCaseDeliveryMillis()).isGreaterThanOrEqualTo(6 * 15_000L);
        assertThatThrownBy(() -> c.with("alertmanager.severity", "very high"))
                .hasMessageStartingWith("config key 'alertmanager.severity'");
        assertThatThrownBy(() -> c.with("alertmanager.generator-url", "counter.example.com"))
                .hasMessageStartingWith("config key 'alertmanager.generator-url'");
        assertThatThrownBy(() -> c.with("alertmanager.timeout", "10s"))
                .hasMessageStartingWith("config key 'alertmanager.timeout'");
    }

    @Test
    void the_metrics_endpoint_is_off_unless_metrics_port_is_set() {
        assertThat(NotifierConfig.defaults().metricsPort()).isNull();
        assertThat(NotifierConfig.defaults().toString()).doesNotContain("metrics");

        Properties p = new Properties();
        p.setProperty("metrics.port", "9464");
        NotifierConfig on = NotifierConfig.fromProperties(p);
        assertThat(on.metricsPort()).isEqualTo(9464);
        assertThat(on.toString()).endsWith(", metrics on port 9464]");
        assertThat(on.with("metrics.port", "0").metricsPort()).as("any free port").isZero();
        assertThat(on.with("metrics.port", "").metricsPort()).isNull();
        assertThatThrownBy(() -> on.with("metrics.port", "70000"))
                .hasMessage("config key 'metrics.port': must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> on.with("metrics.port", "metrics"))
                .hasMessage("config key 'metrics.port': must be a whole number, was 'metrics'");
    }

    @Test
    void an_enabled_channel_needs_its_settings() {
        Properties p = new Properties();
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", "https://alerts.example.com/hooks/export");

        assertThatThrownBy(() -> NotifierConfig.fromProperties(p, Map.<String, String>of()::get))
                .hasMessageStartingWith("config key 'webhook.secret': is required");

        p.setProperty("webhook.url", "ftp://alerts.example.com");
        assertThatThrownBy(() -> NotifierConfig.fromProperties(p, Map.<String, String>of()::get))
                .hasMessageStartingWith("config key 'webhook.url'");

        Properties mail = new Properties();
        mail.setProperty("email.enabled", "true");
        mail.setProperty("email.from", "counter@example.com");
        assertThatThrownBy(() -> NotifierConfig.fromProperties(mail)).hasMessageStartingWith("config key 'email.to'");
        mail.setProperty("email.to", "press@example.com, ops@example.com");
        mail.setProperty("email.smtp.security", "tls");
        assertThatThrownBy(() -> NotifierConfig.fromProperties(mail)).hasMessageStartingWith("config key 'email.smtp.security'");
    }

    @Test
    void no_channel_at_all_is_refused() {
        Properties p = new Properties();
        p.setProperty("outbox.enabled", "false");

        assertThatThrownBy(() -> NotifierConfig.fromProperties(p)).hasMessageContaining("no channel is enabled");
    }

    @Test
    void secrets_come_from_the_environment_and_never_show() {
        Properties p = new Properties();
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", "https://alerts.example.com/hooks/export");
        p.setProperty("webhook.secret", "${env:EC_WEBHOOK_SECRET}");
        p.setProperty("kafka.bootstrap.servers", "localhost:9092");

        NotifierConfig c = NotifierConfig.fromProperties(p, Map.of("EC_WEBHOOK_SECRET", SECRET)::get);

        assertThat(c.webhookSecret().reveal()).isEqualTo(SECRET);
        assertThat(c.webhookSecret()).hasToString("(secret)");
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.toProperties().getProperty("webhook.secret")).isEqualTo("${env:EC_WEBHOOK_SECRET}");
        // A missing variable names the key and the variable, nothing else.
        assertThatThrownBy(() -> NotifierConfig.fromProperties(p, Map.<String, String>of()::get))
                .isInstanceOf(NotifierConfigException.class)
                .hasMessage("config key 'webhook.secret': environment variable EC_WEBHOOK_SECRET is not set");
    }

    @Test
    void a_disabled_channel_may_name_a_variable_that_is_not_set() {
        Properties p = new Properties();
        p.setProperty("email.smtp.password", "${env:EC_NOT_SET_ANYWHERE}");

        assertThat(NotifierConfig.fromProperties(p, Map.<String, String>of()::get).emailEnabled()).isFalse();
    }

    @Test
    void kafka_keys_go_to_the_clients_that_know_them(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.properties");
        Files.writeString(file, "kafka.bootstrap.servers=b1:9092\nkafka.session.timeout.ms=6000\nkafka.acks=1\n"
                + "notices.max-age=\nretry.max-backoff=PT2M\n");

        NotifierConfig c = NotifierConfig.load(file);

        assertThat(c.consumerProperties()).containsEntry("session.timeout.ms", "6000").doesNotContainKey("acks");
        // The delivery records must be on every in-sync replica: acks=all whatever the file says.
        assertThat(c.producerProperties()).containsEntry("acks", "all").doesNotContainKey("session.timeout.ms");
        assertThat(c.maxAge()).isNull();
        assertThat(c.maxBackoff()).isEqualTo(Duration.ofMinutes(2));
    }

    private static void assertKeyNamed(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        assertThatThrownBy(() -> NotifierConfig.fromProperties(p))
                .as(key).isInstanceOf(NotifierConfigException.class)
                .hasMessageStartingWith("config key '" + key + "'");
    }

    @Test
    void heads_up_notices_follow_the_forecasts_topic_24_hours_ahead_unless_told_otherwise() {
        NotifierConfig defaults = NotifierConfig.defaults();
        assertThat(defaults.forecastsTopic()).isEqualTo("export.forecasts");
        assertThat(defaults.approachingHorizon()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.headsUpEnabled()).isTrue();
        assertThat(defaults.with("forecast.approaching-horizon", "PT36H").approachingHorizon()).isEqualTo(Duration.ofHours(36));
        assertThat(defaults.with("forecast.approaching-horizon", "P2D").approachingHorizon()).isEqualTo(Duration.ofDays(2));
        assertThat(defaults.with("forecast.approaching-horizon", "").headsUpEnabled()).isFalse();

        assertKeyNamed("forecast.approaching-horizon", "24h");
        assertKeyNamed("forecast.approaching-horizon", "PT0S");
        assertKeyNamed("forecast.approaching-horizon", "-PT24H");
        assertKeyNamed("topics.forecasts", "bad topic");
        assertThatThrownBy(() -> NotifierConfig.defaults().with("forecast.approaching-horizon", "24h"))
                .hasMessageContaining("forecast.approaching-horizon").hasMessageContaining("PT24H");
    }
}
