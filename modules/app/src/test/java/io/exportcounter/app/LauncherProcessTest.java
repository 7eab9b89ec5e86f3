package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import io.exportcounter.testsupport.JvmProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: its own JVM, real signals, real exit codes, the shared Logback
 * configuration (no SLF4J/log4j warnings on stderr).
 */
class LauncherProcessTest {

    @Test
    @Timeout(240)
    void brokerRunsUntilSigtermThenExitsZero(@TempDir Path work) throws Exception {
        Process broker = Cli.inOwnJvm(work).args("broker", "--port", "0", "--data-dir", work.resolve("kafka").toString())
                .start().process();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(broker.getErrorStream()));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first stdout line (stderr: %s)", broker.isAlive() ? "" : stderr.join()).isNotNull();
            Matcher ready = ExportCounterCliTest.READY.matcher(line);
            assertThat(ready.find()).as(line).isTrue();
            String bootstrap = ready.group(1);

            Process topics = Cli.inOwnJvm(work).args("kafka", "topics", "--bootstrap-server", bootstrap,
                    "--create", "--topic", "from-the-tool", "--partitions", "3").start().process();
            String toolOut = JvmProcess.readAll(topics.getInputStream()) + JvmProcess.readAll(topics.getErrorStream());
            assertThat(topics.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(topics.exitValue()).as(toolOut).isZero();
            assertThat(toolOut).contains("Created topic from-the-tool.");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("from-the-tool");
            }

            broker.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves stdout/stderr open
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(broker.exitValue()).as(stderr.join()).isZero();
        } finally {
            if (broker.isAlive()) {
                broker.destroyForcibly();
            }
        }
        String err = stderr.join();
        assertThat(err).contains("Stopping the Kafka broker").contains("stopped in");
        // One logging backend, quiet: no SLF4J/log4j set-up warnings, no config dumps, no connection noise.
        assertThat(err).doesNotContain("SLF4J").doesNotContain("log4j").doesNotContain(" values:")
                .doesNotContain("could not be established").doesNotContain("ERROR");
        assertThat(work.resolve("kafka").resolve("kafka-logs").resolve("meta.properties")).exists();
    }
}
