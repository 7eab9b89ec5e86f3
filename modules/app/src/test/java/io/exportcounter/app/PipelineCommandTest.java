package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PipelineCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Termination termination, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new ExportCounterCli(termination).execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void a_missing_config_file_is_a_usage_error() {
        Run run = run(Termination.manual(), "pipeline", "--config", "/nope/pipeline.properties");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config").contains("/nope/pipeline.properties");
    }

    @Test
    void a_bad_key_in_the_config_file_is_named(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("p.properties");
        Files.writeString(config, "streams.bootstrap.servers=localhost:1\nreporting.zone=Mars/Olympus\n");
        Run run = run(Termination.manual(), "pipeline", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("reporting.zone").contains("Mars/Olympus");
    }

    @Test
    void the_notifier_names_a_bad_key_of_its_config_file(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("n.properties");
        Files.writeString(config, "kafka.bootstrap.servers=localhost:1\noutbox.enabeld=true\n");
        Run run = run(Termination.manual(), "notifier", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("outbox.enabeld");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void the_pipeline_runs_against_a_broker_given_on_the_command_line_and_stops_cleanly(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("p.properties");
        int httpPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        Files.writeString(config, "streams.bootstrap.servers=localhost:1\nstreams.application.id=cli-test\n"
                + "streams.state.dir=" + dir.resolve("state") + "\nhttp.port=1\n");
        try (TestKafka broker = KafkaBackend.start()) {
            Termination termination = Termination.manual();
            CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> run(termination,
                    "pipeline", "--config", config.toString(), "--bootstrap-server", broker.bootstrapServers(),
                    "--http-port", Integer.toString(httpPort)));
            try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                // The pipeline creates its topics: proof it reached the broker from the override, not the file.
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        admin.listTopics().names().get().contains("export.totals"));
                await().atMost(Duration.ofMinutes(1)).until(() -> admin.listGroups().all().get().stream()
                        .anyMatch(g -> g.groupId().equals("cli-test")));
            }
            // The dashboard and API listen on the port given on the command line.
            var http = java.net.http.HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(1)).until(() -> http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + httpPort + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            termination.request();
            Run run = running.get(1, TimeUnit.MINUTES);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Pipeline 'cli-test' running against " + broker.bootstrapServers())
                    .contains("http://localhost:" + httpPort + "/");
        }
    }
}
