package io.exportcounter.app;

import static io.exportcounter.app.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.app.Cli.Run;
import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
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

    /** Runs {@code command --config config}, which must end in a usage error (exit code 2); returns its standard error. */
    private static String usageError(String command, Path config) {
        Run run = run(Termination.manual(), command, "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        return run.err();
    }

    @Test
    void a_missing_config_file_is_a_usage_error() {
        assertThat(usageError("pipeline", Path.of("/nope/pipeline.properties")))
                .contains("--config").contains("/nope/pipeline.properties");
    }

    @Test
    void a_bad_key_in_the_config_file_is_named(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("p.properties"), "streams.bootstrap.servers=localhost:1\nreporting.zone=Mars/Olympus\n");
        assertThat(usageError("pipeline", config)).contains("reporting.zone").contains("Mars/Olympus");
    }

    @Test
    void the_notifier_names_a_bad_key_of_its_config_file(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("n.properties"), "kafka.bootstrap.servers=localhost:1\noutbox.enabeld=true\n");
        assertThat(usageError("notifier", config)).contains("outbox.enabeld");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void the_pipeline_runs_against_a_broker_given_on_the_command_line_and_stops_cleanly(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("p.properties");
        int httpPort = Cli.freePort();
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
