package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.exportcounter.testsupport.LogCapture;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The e-mail channel against a real in-process SMTP server (GreenMail), with the notifier on a real broker. */
class EmailDeliveryIT {
    static final String SMTP_PASSWORD = "smtp-pw-91b2-never-in-logs";

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("notifier", SMTP_PASSWORD));

    @Test
    void the_press_office_gets_one_bilingual_message(@TempDir Path dir) throws Exception {
        Properties p = emailProperties("mail", dir, smtp.getSmtp().getPort());
        p.setProperty("email.to", "press@example.com, ops@example.com");
        NotifierConfig config = NotifierConfig.fromProperties(p, Map.of("TEST_SMTP_PASSWORD", SMTP_PASSWORD)::get);

        try (LogCapture logs = new LogCapture(); Notifier notifier = new Notifier(config).start()) {
            SharedBroker.produce(config.milestonesTopic(), Milestones.korea700BDetectedNow());

            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 1);
            // One message, stored once in each recipient's mailbox
            MimeMessage[] messages = smtp.getReceivedMessages();
            assertThat(messages).hasSize(2);
            assertThat(messages[1].getMessageID()).isEqualTo(messages[0].getMessageID());
            MimeMessage mail = messages[0];
            assertThat(mail.getSubject())
                    .isEqualTo("[Export Counter] Korea's exports pass $700 billion (1:03 p.m., Dec 29, 2025 KST)");
            assertThat(mail.getFrom()[0].toString()).isEqualTo("export-counter@example.com");
            assertThat(mail.getAllRecipients()).extracting(Object::toString)
                    .containsExactly("press@example.com", "ops@example.com");
            assertThat(mail.getMessageID()).endsWith("@export-counter>");
            MimeMultipart parts = (MimeMultipart) mail.getContent();
            assertThat(parts.getContentType()).startsWith("multipart/alternative");
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").contains("UTF-8");
            assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
            String text = (String) parts.getBodyPart(0).getContent();
            String html = (String) parts.getBodyPart(1).getContent();
            assertThat(text).contains("As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                    + " were provisionally tallied at $700 billion.")
                    .contains("2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.");
            assertThat(html).contains("<p lang=\"en\"").contains("1:03 p.m.")
                    .contains("<p lang=\"ko\"").contains("7,000억 달러로 잠정 집계되었습니다.");
            // The SMTP password was used (GreenMail checked it) and never logged
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(SMTP_PASSWORD));
        }
    }

    /** E-mail to the GreenMail server; the password comes from the environment variable TEST_SMTP_PASSWORD. */
    static Properties emailProperties(String prefix, Path dir, int smtpPort) {
        Properties p = SharedBroker.notifierProperties(prefix, dir);
        p.setProperty("outbox.enabled", "false");
        p.setProperty("email.enabled", "true");
        p.setProperty("email.smtp.host", "127.0.0.1");
        p.setProperty("email.smtp.port", Integer.toString(smtpPort));
        p.setProperty("email.smtp.security", "none");
        p.setProperty("email.smtp.username", "notifier");
        p.setProperty("email.smtp.password", "${env:TEST_SMTP_PASSWORD}");
        p.setProperty("email.from", "export-counter@example.com");
        p.setProperty("email.to", "press@example.com");
        p.setProperty("email.timeout", "PT10S");
        return p;
    }
}
