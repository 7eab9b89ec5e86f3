package io.exportcounter.notifier;

import io.exportcounter.contract.config.ConfigKeys;
import io.exportcounter.contract.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The notifier's configuration: a Java properties file, every key documented in
 * {@code config/notifier.properties}. Keys starting with {@code kafka.} go, without the prefix, to the
 * Kafka clients (consumer, producer, admin; each gets the keys it knows); keys starting with
 * {@code email.mail.} go, without {@code email.}, to Jakarta Mail. Every other key is the notifier's
 * own and is checked here, so a typo or a bad value stops the start with the key's name.
 *
 * <p>Any value may contain {@code ${env:NAME}}, replaced by the environment variable {@code NAME}
 * (meant for {@code webhook.secret} and {@code email.smtp.password}). A variable is only required
 * when its key is used: a disabled channel's secret may point at a variable that is not set.
 */
public final class NotifierConfig {
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String MAIL_PREFIX = "email.mail.";
    public static final String DEFAULT_GROUP_ID = "export-counter-notifier";
    /** The CloudEvents {@code source} of the webhook's events unless {@code webhook.cloudevents.source} names the deployment. */
    public static final String DEFAULT_EVENT_SOURCE = "urn:export-counter:notifier";

    /** The notifier's own keys with their defaults. */
    private static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("reporting.country", "KR");
        d.put("reporting.zone", "Asia/Seoul");
        d.put("reporting.zone-label", "");
        d.put("topics.milestones", "export.milestones");
        d.put("topics.forecasts", "export.forecasts");
        d.put("topics.delivered", "export.notifications.delivered");
        d.put("topics.dead-letter", "export.notifications.dead");
        d.put("topics.create-missing", "true");
        d.put("topics.replication-factor", "-1");
        d.put("notices.templates", "");
        d.put("notices.max-age", "P7D");
        d.put("forecast.approaching-horizon", "PT24H");
        d.put("retry.max-attempts", "6");
        d.put("retry.initial-backoff", "PT1S");
        d.put("retry.multiplier", "2");
        d.put("retry.max-backoff", "PT1M");
        d.put("retry.jitter", "0.5");
        d.put("webhook.enabled", "false");
        d.put("webhook.url", "");
        d.put("webhook.secret", "");
        d.put("webhook.timeout", "PT10S");
        d.put("webhook.connect-timeout", "PT5S");
        d.put("webhook.format", "cloudevents");
        d.put("webhook.cloudevents.source", DEFAULT_EVENT_SOURCE);
        d.put("email.enabled", "false");
        d.put("email.smtp.host", "localhost");
        d.put("email.smtp.port", "587");
        d.put("email.smtp.security", "starttls");
        d.put("email.smtp.username", "");
        d.put("email.smtp.password", "");
        d.put("email.from", "");
        d.put("email.to", "");
        d.put("email.timeout", "PT30S");
        d.put("alertmanager.url", "");
        d.put("alertmanager.severity", "info");
        d.put("alertmanager.generator-url", "");
        d.put("alertmanager.timeout", "PT10S");
        d.put("alertmanager.connect-timeout", "PT5S");
        d.put("outbox.enabled", "true");
        d.put("outbox.file", "data/notices.jsonl");
        d.put("metrics.port", "");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    /** SMTP connection security: plain, upgraded with STARTTLS (required), or TLS from the start. */
    public enum SmtpSecurity { NONE, STARTTLS, SSL }

    /** What the webhook posts: a CloudEvent 1.0 in structured mode, or the plain {@code {"milestone", "notice"}} body. */
    public enum WebhookFormat { CLOUDEVENTS, PLAIN }

    private final Map<String, String> own;
    private final Map<String, String> kafka;
    private final Map<String, String> mail;
    private final Function<String, String> env;
    private final ConfigKeys keys;

    private final String country;
    private final ZoneId zone;
    private final Duration maxAge;
    private final Duration approachingHorizon;
    private final short replicationFactor;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final double jitter;

    private NotifierConfig(Map<String, String> own, Map<String, String> kafka, Map<String, String> mail,
            Function<String, String> env) {
        this.own = own;
        this.kafka = kafka;
        this.mail = mail;
        this.env = env;
        this.keys = new ConfigKeys(own, NotifierConfigException::new, env);
        this.country = keys.requireMatch("reporting.country", "[A-Z]{2}", "an upper-case ISO 3166-1 alpha-2 code");
        this.zone = keys.zone("reporting.zone");
        for (String key : List.of("topics.milestones", "topics.forecasts", "topics.delivered", "topics.dead-letter")) {
            keys.topicName(key);
        }
        this.approachingHorizon = keys.string("forecast.approaching-horizon").isEmpty() ? null
                : keys.positiveDuration("forecast.approaching-horizon", "PT24H");
        keys.bool("topics.create-missing");
        this.replicationFactor = keys.replicationFactor("topics.replication-factor");
        this.maxAge = keys.string("notices.max-age").isEmpty() ? null : duration("notices.max-age");
        this.maxAttempts = keys.intIn("retry.max-attempts", 1, 100);
        this.initialBackoff = duration("retry.initial-backoff");
        this.multiplier = keys.doubleIn("retry.multiplier", 1.0, 10.0);
        this.maxBackoff = duration("retry.max-backoff");
        this.jitter = keys.doubleIn("retry.jitter", 0.0, 0.99);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new NotifierConfigException("retry.max-backoff", "must not be shorter than retry.initial-backoff");
        }
        boolean any = false;
        webhookFormat();
        webhookEventSource();
        if (keys.bool("webhook.enabled")) {
            any = true;
            webhookUrl();
            keys.required("webhook.secret", "webhook.enabled=true (write ${env:NAME} to take it from the environment)");
            webhookTimeout();
            webhookConnectTimeout();
        }
        if (alertmanagerEnabled()) {
            any = true;
            alertmanagerUrl();
            alertmanagerSeverity();
            alertmanagerGeneratorUrl();
            alertmanagerTimeout();
            alertmanagerConnectTimeout();
        }
        if (keys.bool("email.enabled")) {
            any = true;
            keys.required("email.smtp.host", "email.enabled=true");
            smtpPort();
            smtpSecurity();
            smtpPassword();
            emailFrom();
            emailTo();
            emailTimeout();
        }
        if (keys.bool("outbox.enabled")) {
            any = true;
            keys.required("outbox.file", "outbox.enabled=true");
        }
        if (!any) {
            throw new NotifierConfigException("outbox.enabled",
                    "no channel is enabled: set webhook.enabled, email.enabled or outbox.enabled to true,"
                            + " or alertmanager.url");
        }
        metricsPort();
        // Kafka settings that would break the contract or the once-per-channel guarantee are refused.
        String isolation = kafka.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
        if (isolation != null && !isolation.equals("read_committed")) {
            throw new NotifierConfigException(KAFKA_PREFIX + ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "must be read_committed: the pipeline writes milestones in transactions");
        }
        String autoCommit = kafka.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && !autoCommit.equals("false")) {
            throw new NotifierConfigException(KAFKA_PREFIX + ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "must be false: offsets are committed only after each delivery is recorded");
        }
        for (String key : kafka.keySet()) {
            if (!ConsumerConfig.configNames().contains(key) && !ProducerConfig.configNames().contains(key)
                    && !AdminClientConfig.configNames().contains(key)) {
                throw new NotifierConfigException(KAFKA_PREFIX + key, "is not a Kafka consumer, producer or admin setting");
            }
        }
    }

    // ------------------------------------------------------------------ loading

    public static NotifierConfig defaults() {
        return fromProperties(new Properties());
    }

    public static NotifierConfig load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NotifierConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        return fromProperties(p);
    }

    public static NotifierConfig fromProperties(Properties props) {
        return fromProperties(props, System::getenv);
    }

    /** As {@link #fromProperties(Properties)}, with {@code ${env:NAME}} looked up in {@code env} (tests). */
    public static NotifierConfig fromProperties(Properties props, Function<String, String> env) {
        Map<String, String> own = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> mail = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String name : props.stringPropertyNames()) {
            String value = props.getProperty(name).trim();
            if (name.startsWith(KAFKA_PREFIX) && name.length() > KAFKA_PREFIX.length()) {
                kafka.put(name.substring(KAFKA_PREFIX.length()), value);
            } else if (name.startsWith(MAIL_PREFIX) && name.length() > MAIL_PREFIX.length()) {
                mail.put(name.substring("email.".length()), value);
            } else if (DEFAULTS.containsKey(name)) {
                own.put(name, value);
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new NotifierConfigException(unknown.iterator().next(), "unknown key (notifier keys: " + DEFAULTS.keySet()
                    + "; Kafka client keys start with '" + KAFKA_PREFIX + "', Jakarta Mail keys with '" + MAIL_PREFIX + "')");
        }
        return new NotifierConfig(own, kafka, mail, env);
    }

    /** A copy with one key changed; used for command-line overrides and tests. */
    public NotifierConfig with(String key, String value) {
        Properties p = toProperties();
        p.setProperty(key, value);
        return fromProperties(p, env);
    }

    /** The settings as given (secrets as written, e.g. {@code ${env:NAME}}, never resolved). */
    public Properties toProperties() {
        Properties p = new Properties();
        own.forEach(p::setProperty);
        kafka.forEach((k, v) -> p.setProperty(KAFKA_PREFIX + k, v));
        mail.forEach((k, v) -> p.setProperty("email." + k, v));
        return p;
    }

    // ------------------------------------------------------------------ Kafka

    /** The consumer of the milestones topic: committed reads only, offsets committed by hand. */
    public Properties consumerProperties() {
        Properties p = clientProperties(ConsumerConfig.configNames());
        p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One milestone per poll: the time between polls is then at most one milestone's deliveries.
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        // Those deliveries may retry for minutes; the group must not think the notifier dead meanwhile
        // (and the coordinator connection must outlive that wait).
        long pollInterval = Math.max(300_000, worstCaseDeliveryMillis() + 60_000);
        p.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(pollInterval));
        long maxPoll = Long.parseLong(p.getProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        p.putIfAbsent(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, Long.toString(Math.max(540_000, maxPoll + 60_000)));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    /**
     * An upper bound of the time one milestone's deliveries can take: every attempt on every channel
     * timing out, with the longest waits in between.
     */
    long worstCaseDeliveryMillis() {
        long attemptMs = 0;
        if (webhookEnabled()) {
            attemptMs += webhookConnectTimeout().toMillis() + webhookTimeout().toMillis();
        }
        if (emailEnabled()) {
            attemptMs += 3 * emailTimeout().toMillis(); // connect, then a read and a write that each may stall
        }
        if (alertmanagerEnabled()) {
            attemptMs += alertmanagerConnectTimeout().toMillis() + alertmanagerTimeout().toMillis();
        }
        long waitMs = (long) (maxBackoff.toMillis() * (1 + jitter));
        boolean anyRemote = webhookEnabled() || emailEnabled() || alertmanagerEnabled();
        return maxAttempts * attemptMs + (maxAttempts - 1L) * waitMs * (anyRemote ? 1 : 0);
    }

    /** The producer of delivery records and dead letters: every write acknowledged by all replicas. */
    public Properties producerProperties() {
        Properties p = clientProperties(ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    public Properties adminProperties() {
        return clientProperties(AdminClientConfig.configNames());
    }

    private Properties clientProperties(Set<String> names) {
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new NotifierConfigException(KAFKA_PREFIX + "bootstrap.servers", "is required (or pass --bootstrap-server)");
        }
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            if (names.contains(k)) {
                p.setProperty(k, keys.resolve(KAFKA_PREFIX + k, v));
            }
        });
        return p;
    }

    public String bootstrapServers() {
        return kafka.get("bootstrap.servers");
    }

    public String groupId() {
        return kafka.getOrDefault(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
    }

    // ------------------------------------------------------------------ notices

    public String country() {
        return country;
    }

    public ZoneId zone() {
        return zone;
    }

    /** A fixed zone label such as {@code KST}, or null to use the zone's own short name at each instant. */
    public String zoneLabel() {
        String v = keys.string("reporting.zone-label");
        return v.isEmpty() ? null : v;
    }

    /** Folder with {@code en.properties} and {@code ko.properties}, or null for the packaged templates. */
    public Path templatesDir() {
        return keys.optionalFolder("notices.templates");
    }

    /** Milestones detected (and forecasts made) longer ago than this are not notified; null: no limit. */
    public Duration maxAge() {
        return maxAge;
    }

    /**
     * How far ahead of a forecast's {@code asOf} an expected crossing gets its heads-up
     * ({@code forecast.approaching-horizon}); null when the key is empty: no heads-up, the forecasts topic is not read.
     */
    public Duration approachingHorizon() {
        return approachingHorizon;
    }

    /** Whether forecasts are followed for heads-up notices. */
    public boolean headsUpEnabled() {
        return approachingHorizon != null;
    }

    // ------------------------------------------------------------------ topics

    public String milestonesTopic() {
        return keys.string("topics.milestones");
    }

    public String forecastsTopic() {
        return keys.string("topics.forecasts");
    }

    public String deliveredTopic() {
        return keys.string("topics.delivered");
    }

    public String deadLetterTopic() {
        return keys.string("topics.dead-letter");
    }

    public boolean createMissingTopics() {
        return keys.bool("topics.create-missing");
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    // ------------------------------------------------------------------ retries

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public double backoffMultiplier() {
        return multiplier;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double jitter() {
        return jitter;
    }

    // ------------------------------------------------------------------ channels

    public boolean webhookEnabled() {
        return keys.bool("webhook.enabled");
    }

    public URI webhookUrl() {
        return httpUrl("webhook.url");
    }

    public WebhookFormat webhookFormat() {
        String v = keys.string("webhook.format");
        try {
            return WebhookFormat.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new NotifierConfigException("webhook.format", "must be cloudevents or plain, was '" + v + "'");
        }
    }

    /** The CloudEvents {@code source} attribute: a URI reference naming the deployment that sends the events. */
    public URI webhookEventSource() {
        String v = keys.string("webhook.cloudevents.source");
        try {
            if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                throw new URISyntaxException(v, "empty or with spaces");
            }
            return new URI(v);
        } catch (URISyntaxException e) {
            throw new NotifierConfigException("webhook.cloudevents.source",
                    "must be a URI such as urn:export-counter:prod or https://export-counter.example.com, was '" + v + "'");
        }
    }

    public Secret webhookSecret() {
        return keys.secret("webhook.secret");
    }

    public Duration webhookTimeout() {
        return duration("webhook.timeout");
    }

    public Duration webhookConnectTimeout() {
        return duration("webhook.connect-timeout");
    }

    public boolean emailEnabled() {
        return keys.bool("email.enabled");
    }

    public String smtpHost() {
        return keys.string("email.smtp.host");
    }

    public int smtpPort() {
        return keys.intIn("email.smtp.port", 1, 65_535);
    }

    public SmtpSecurity smtpSecurity() {
        String v = keys.string("email.smtp.security");
        try {
            return SmtpSecurity.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new NotifierConfigException("email.smtp.security", "must be none, starttls or ssl, was '" + v + "'");
        }
    }

    /** The SMTP user name; empty: no authentication. */
    public String smtpUsername() {
        return keys.string("email.smtp.username");
    }

    public Secret smtpPassword() {
        return keys.secret("email.smtp.password");
    }

    public String emailFrom() {
        return keys.requireMatch("email.from", "[^@\\s,]+@[^@\\s,]+", "one e-mail address");
    }

    public List<String> emailTo() {
        String v = keys.string("email.to");
        List<String> to = new ArrayList<>();
        for (String a : v.split(",")) {
            String t = a.trim();
            if (!t.isEmpty()) {
                if (!t.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new NotifierConfigException("email.to", "'" + t + "' is not an e-mail address");
                }
                to.add(t);
            }
        }
        if (to.isEmpty()) {
            throw new NotifierConfigException("email.to", "needs at least one address (comma-separated)");
        }
        return to;
    }

    public Duration emailTimeout() {
        return duration("email.timeout");
    }

    /** {@code email.mail.*} keys, as Jakarta Mail session properties ({@code mail.*}). */
    public Properties mailProperties() {
        Properties p = new Properties();
        mail.forEach((k, v) -> p.setProperty(k, keys.resolve("email." + k, v)));
        return p;
    }

    /** The Alertmanager channel is on when {@code alertmanager.url} is set. */
    public boolean alertmanagerEnabled() {
        return !keys.string("alertmanager.url").isEmpty();
    }

    /** The Alertmanager's base URL (the channel posts to its {@code /api/v2/alerts}). */
    public URI alertmanagerUrl() {
        return httpUrl("alertmanager.url");
    }

    /** The {@code severity} label of the Alertmanager alerts. */
    public String alertmanagerSeverity() {
        return keys.requireMatch("alertmanager.severity", "[A-Za-z0-9_.-]{1,64}",
                "one word such as info, warning or critical");
    }

    /** The serving API each alert's {@code generatorURL} points into, or null for no link. */
    public URI alertmanagerGeneratorUrl() {
        return keys.string("alertmanager.generator-url").isEmpty() ? null : httpUrl("alertmanager.generator-url");
    }

    public Duration alertmanagerTimeout() {
        return duration("alertmanager.timeout");
    }

    public Duration alertmanagerConnectTimeout() {
        return duration("alertmanager.connect-timeout");
    }

    public boolean outboxEnabled() {
        return keys.bool("outbox.enabled");
    }

    public Path outboxFile() {
        return Path.of(keys.string("outbox.file"));
    }

    // ------------------------------------------------------------------ metrics

    /**
     * The port of the Prometheus endpoint ({@code GET /metrics}) on every interface: null when the key is empty
     * (no endpoint), 0 for any free port (the one taken is logged).
     */
    public Integer metricsPort() {
        return keys.string("metrics.port").isEmpty() ? null : keys.intIn("metrics.port", 0, 65_535);
    }

    /** A one-line description for the start-up log: no secrets, no Kafka security settings. */
    @Override
    public String toString() {
        List<String> channels = new ArrayList<>();
        if (webhookEnabled()) {
            channels.add("webhook " + webhookUrl() + " (" + webhookFormat().name().toLowerCase(Locale.ROOT) + ")");
        }
        if (emailEnabled()) {
            channels.add("email via " + smtpHost() + ":" + smtpPort() + " to " + emailTo());
        }
        if (alertmanagerEnabled()) {
            channels.add("alertmanager " + alertmanagerUrl());
        }
        if (outboxEnabled()) {
            channels.add("outbox " + outboxFile());
        }
        return "notifier[group " + groupId() + ", " + milestonesTopic()
                + (headsUpEnabled() ? " and " + forecastsTopic() + " (heads-up " + approachingHorizon + " ahead)" : "")
                + " on " + bootstrapServers() + ", channels "
                + channels + (metricsPort() == null ? "" : ", metrics on port " + metricsPort()) + "]";
    }

    // ------------------------------------------------------------------ parsing

    /** An http:// or https:// URL with a host. */
    private URI httpUrl(String key) {
        String v = keys.string(key);
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new NotifierConfigException(key, "must be an http:// or https:// URL, was '" + v + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new NotifierConfigException(key, "must be an http:// or https:// URL, was '" + v + "'");
        }
    }

    /** A positive duration; the notifier's are timeouts and waits, so the example in a message is PT10S. */
    private Duration duration(String key) {
        return keys.positiveDuration(key, "PT10S");
    }
}
