package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.testsupport.ContractSchemas;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once per channel across a crash: the notifier runs in a JVM of its own and halts (Runtime.halt: no
 * shutdown hook, no offset commit) right after recording the e-mail delivery. The restarted notifier
 * reads the milestone again, finds the delivery record and sends no second e-mail.
 */
class NotifierCrashIT {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("notifier", EmailDeliveryIT.SMTP_PASSWORD));

    @Test
    void a_crash_between_sending_and_committing_sends_no_second_email(@TempDir Path dir) throws Exception {
        // Given a notifier process with e-mail and outbox, told to halt after recording the e-mail
        Properties p = EmailDeliveryIT.emailProperties("crash", dir, smtp.getSmtp().getPort());
        p.setProperty("outbox.enabled", "true");
        Path config = dir.resolve("notifier.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "crash test");
        }
        Path outbox = dir.resolve("notices.jsonl");
        Path log = Path.of("target", "notifier-crash-it.log");
        Files.deleteIfExists(log);
        NotifierConfig parsed = NotifierConfig.fromProperties(p,
                java.util.Map.of("TEST_SMTP_PASSWORD", EmailDeliveryIT.SMTP_PASSWORD)::get);
        NotifierTopics.createMissing(parsed);

        Process first = start(config, log, true);
        try {
            // When the milestone arrives
            SharedBroker.produce(parsed.milestonesTopic(), Milestones.korea700BDetectedNow());

            // Then the e-mail goes out and the JVM halts before committing (and before the outbox)
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("notifier halted").isTrue();
            assertThat(first.exitValue()).isEqualTo(Notifier.HALT_EXIT_CODE);
        } finally {
            first.destroyForcibly();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(Files.exists(outbox) ? Files.readAllLines(outbox) : List.of()).isEmpty();

        // When the notifier is started again
        Process second = start(config, log, false);
        try {
            // Then it handles the milestone again: the outbox gets its line...
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(outbox) && Files.readAllLines(outbox).size() == 1);
            // ...but the e-mail, recorded as delivered, is not sent a second time
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> smtp.getReceivedMessages().length == 1);
            assertThat(Files.readString(log)).contains("email of 2025|NATIONAL|KR|700000000000|CROSSED|")
                    .contains("already done (DELIVERED); not sent again")
                    .doesNotContain(EmailDeliveryIT.SMTP_PASSWORD);
            // and the outbox line and the delivery records are valid against their schemas (read checks them)
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, Files.readAllLines(outbox).get(0));
            assertThat(SharedBroker.readAll(parsed.deliveredTopic())).isNotEmpty();
        } finally {
            second.destroy(); // SIGTERM: the shutdown hook closes the notifier cleanly
            if (!second.waitFor(30, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    private static Process start(Path config, Path log, boolean haltAfterEmail) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        if (haltAfterEmail) {
            cmd.add("-D" + Notifier.HALT_AFTER_RECORD_PROPERTY + "=email");
        }
        cmd.add(NotifierMain.class.getName());
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The SMTP password reaches the child the way production secrets do: in its environment.
        pb.environment().put("TEST_SMTP_PASSWORD", EmailDeliveryIT.SMTP_PASSWORD);
        return pb.start();
    }
}
