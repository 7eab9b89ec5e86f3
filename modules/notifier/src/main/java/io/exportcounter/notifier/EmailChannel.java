package io.exportcounter.notifier;

import io.exportcounter.contract.config.Secret;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * E-mail over SMTP (Jakarta Mail, Eclipse Angus): one message per notice to every address of
 * {@code email.to}, multipart/alternative with a plain-text and an HTML part, each holding the English
 * and the Korean notice.
 *
 * <p>The {@code Message-ID} is derived from the occurrence key, so a repeat that does get through
 * (see the README: the window between sending and recording) can be recognised by mail systems.
 * SMTP 4xx replies and connection problems are worth retrying; 5xx replies, rejected addresses and
 * failed authentication are not.
 */
final class EmailChannel implements Channel {
    static final String NAME = "email";

    private final Session session;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final String username;
    private final Secret password;

    EmailChannel(String host, int port, NotifierConfig.SmtpSecurity security, String username, Secret password,
            String from, List<String> to, Duration timeout, Properties extra) {
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.connectiontimeout", ms);
        p.setProperty("mail.smtp.timeout", ms);
        p.setProperty("mail.smtp.writetimeout", ms);
        p.setProperty("mail.smtp.auth", Boolean.toString(!username.isEmpty()));
        switch (security) {
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                // Never fall back to sending a password in clear text.
                p.setProperty("mail.smtp.starttls.required", "true");
            }
            case SSL -> p.setProperty("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.putAll(extra);
        this.session = Session.getInstance(p);
        try {
            this.from = new InternetAddress(from, true);
            this.to = new InternetAddress[to.size()];
            for (int i = 0; i < to.size(); i++) {
                this.to[i] = new InternetAddress(to.get(i), true);
            }
        } catch (AddressException e) {
            throw new NotifierConfigException("email.to", "bad address '" + e.getRef() + "': " + e.getMessage());
        }
        this.username = username;
        this.password = password;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Attempt attempt(Delivery d) {
        try {
            MimeMessage message = message(d);
            if (username.isEmpty()) {
                Transport.send(message);
            } else {
                Transport.send(message, username, password.reveal());
            }
            return Attempt.delivered("accepted by the SMTP server for " + to.length + " recipient(s)");
        } catch (MessagingException e) {
            return classify(e);
        }
    }

    MimeMessage message(Delivery d) throws MessagingException {
        Notice n = d.notice();
        String messageId = "<" + Delivery.sha256Hex(d.occurrenceKey().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 32) + "@export-counter>";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(n.subject(), "UTF-8");
        m.setSentDate(new Date());
        m.setHeader("Content-Language", "en, ko");
        m.setHeader("X-Export-Counter-Occurrence", d.occurrenceKey());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(n.plainText(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(n.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    /** Transient (4xx, connection) or permanent (5xx, bad address, authentication). */
    private static Attempt classify(MessagingException e) {
        String reason = describe(e);
        // MessagingException.getCause() is its "next" exception: the chain holds the SMTP reply, if any.
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            int code = -1;
            if (t instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
            } else if (t instanceof SMTPAddressFailedException s) {
                code = s.getReturnCode();
            } else if (t instanceof SMTPSenderFailedException s) {
                code = s.getReturnCode();
            } else if (t instanceof AuthenticationFailedException || t instanceof AddressException) {
                return Attempt.permanent(reason);
            }
            if (code >= 500) {
                return Attempt.permanent(reason);
            }
            if (code >= 400) {
                return Attempt.retryable(reason);
            }
        }
        return Attempt.retryable(reason);
    }

    private static String describe(MessagingException e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(oneLine(e.getMessage()));
        Throwable next = e.getNextException() != null ? e.getNextException() : e.getCause();
        if (next != null && next != e) {
            b.append(" (").append(next.getClass().getSimpleName()).append(": ").append(oneLine(next.getMessage())).append(')');
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
