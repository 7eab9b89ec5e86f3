package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierMetricsTest {

    @Test
    void a_metrics_port_in_use_stops_the_start_naming_the_key_before_anything_connects(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            // Given a port another process serves on
            taken.bind(new InetSocketAddress(0));
            Properties p = new Properties();
            // No broker listens here: the start must fail on the port before trying one.
            p.setProperty("kafka.bootstrap.servers", "localhost:1");
            p.setProperty("outbox.file", dir.resolve("notices.jsonl").toString());
            p.setProperty("metrics.port", Integer.toString(taken.getLocalPort()));

            // When the notifier starts on it, then it fails at once and says which key to change
            try (Notifier notifier = new Notifier(NotifierConfig.fromProperties(p))) {
                assertThatThrownBy(notifier::start).isInstanceOf(UncheckedIOException.class)
                        .hasMessageStartingWith("cannot serve metrics on port " + taken.getLocalPort() + " (metrics.port): ");
                assertThat(notifier.metricsPort()).isEqualTo(-1);
            }
        }
    }

    @Test
    void a_retry_of_one_channel_is_counted_for_that_channel_only() {
        NotifierMetrics metrics = new NotifierMetrics(java.util.List.of("webhook", "outbox"));
        try (metrics) {
            metrics.retried("webhook");
            metrics.retried("webhook");
            metrics.deadLettered("webhook");
            metrics.milestone(NotifierMetrics.MilestoneOutcome.UNREADABLE);

            assertThat(metrics.scrape())
                    .contains("export_counter_notifier_retries_total{channel=\"webhook\"} 2.0")
                    .contains("export_counter_notifier_retries_total{channel=\"outbox\"} 0.0")
                    .contains("export_counter_notifier_dead_letters_total{channel=\"webhook\"} 1.0")
                    .contains("export_counter_notifier_dead_letters_total{channel=\"none\"} 1.0")
                    .contains("export_counter_notifier_deliveries_total{channel=\"webhook\",outcome=\"dead_lettered\"} 1.0")
                    .doesNotContain("channel=\"email\"");
        }
    }
}
