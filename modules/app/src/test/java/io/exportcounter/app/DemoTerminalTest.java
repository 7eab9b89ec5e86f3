package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.testsupport.JvmProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's terminal as a user sees it (its own JVM, the project's Logback configuration): the press notices on
 * standard output; on standard error the progress bar and its summary line, and nothing else in a normal run: no
 * WARN lines from Kafka's clients (CONCURRENT_TRANSACTIONS retries, the temporary state directory), no INFO lines.
 */
class DemoTerminalTest {

    /** A line of the console appender (config/logback.xml): time, level, logger. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) ");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void a_normal_run_shows_the_progress_bar_and_the_notices_only(@TempDir Path dir) throws Exception {
        int port = Cli.freePort();
        JvmProcess demo = Cli.inOwnJvm(dir).jvmOption("-Xmx1g")
                .args("demo", "--declarations", "6000", "--speed", "20000000", "--no-slow-motion",
                        "--http-port", Integer.toString(port), "--data-dir", dir.resolve("data").toString())
                .start();
        Process process = demo.process();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> JvmProcess.readAll(process.getErrorStream()));
        StringBuilder stdout = new StringBuilder();
        try (demo) {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                stdout.append(line).append('\n');
                if (line.startsWith("Replay of 2025 finished")) {
                    break;
                }
            }
            assertThat(stdout.toString()).as("stdout (stderr: %s)", process.isAlive() ? "" : stderr.join())
                    .contains("Replay of 2025 finished");
            process.toHandle().destroy(); // SIGTERM, as Ctrl-C would
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            stdout.append(JvmProcess.readAll(process.getInputStream()));
        }
        String err = stderr.join();
        assertThat(process.exitValue()).as(err).isZero();

        assertThat(stdout.toString()).contains("Dashboard: http://localhost:" + port + "/")
                .contains("PRESS NOTICE").contains("were provisionally tallied at $100 billion")
                .contains("Stopping the demo");
        // stderr: the bar redrawn with \r, then its one summary line.
        List<String> lines = Arrays.stream(err.split("[\r\n]+")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> logLines = lines.stream().filter(l -> LOG_LINE.matcher(l).find()).toList();
        assertThat(logLines).as("WARN lines (Kafka's clients: Sender, StateDirectory, StreamsConfig, ...) on the demo's terminal")
                .noneMatch(l -> l.contains(" WARN "));
        assertThat(logLines).as("log lines on the demo's terminal in a normal run").isEmpty();
        assertThat(lines).as("the demo's stderr").isNotEmpty().allSatisfy(l -> assertThat(
                l.startsWith("[") && l.contains(" decl ") || l.startsWith("Simulated 2025: ")).as(l).isTrue());
        assertThat(lines).filteredOn(l -> l.startsWith("Simulated 2025: 6,000 declarations")).hasSize(1);
    }
}
