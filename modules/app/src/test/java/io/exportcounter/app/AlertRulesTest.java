package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operators' Prometheus alert rules (docker/prometheus/alerts.yml): valid for promtool, and each one fires on
 * the synthetic series of alerts.test.yml where it should and stays quiet where it should not. The promtool runs
 * skip where promtool is absent (Debian package {@code prometheus}; .ci/run installs it). DockerComposeTest checks
 * the metric names against what a real pipeline instance or a real notifier serves on /metrics (by the job each
 * selector names).
 */
class AlertRulesTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Path PROMETHEUS = ROOT.resolve("docker/prometheus");
    private static final Path RULES = PROMETHEUS.resolve("alerts.yml");
    private static final Path RULE_TESTS = PROMETHEUS.resolve("alerts.test.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtool_finds_the_rules_valid() throws Exception {
        promtool("check", "rules", RULES.toString());
    }

    @Test
    void every_rule_passes_its_promtool_unit_tests() throws Exception {
        promtool("test", "rules", RULE_TESTS.toString());
    }

    @Test
    void every_rule_has_a_severity_a_summary_a_description_and_tests_that_it_fires_and_stays_quiet() throws IOException {
        JsonNode tests = YAML.readTree(RULE_TESTS.toFile());
        assertThat(tests.path("rule_files").get(0).asText()).isEqualTo(RULES.getFileName().toString());
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : fires).add(check.path("alertname").asText());
            }
        }
        List<String> names = new ArrayList<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                names.add(name);
                assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
                assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
                assertThat(fires).as("a test where %s fires", name).contains(name);
                assertThat(quiet).as("a test where %s stays quiet", name).contains(name);
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(8).doesNotHaveDuplicates();
    }

    /** Runs promtool in docker/prometheus and fails with its output unless it exits with 0. */
    private static void promtool(String... args) throws IOException, InterruptedException {
        Path promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus): the alert rules are not run here");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), printed).isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
