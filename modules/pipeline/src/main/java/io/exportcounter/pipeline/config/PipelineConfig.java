package io.exportcounter.pipeline.config;

import io.exportcounter.contract.config.ConfigKeys;
import io.exportcounter.contract.config.Secret;
import io.exportcounter.pipeline.state.RocksDbTuning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pipeline's configuration: a Java properties file (CONTRACT.md section 8). Keys starting with
 * {@code streams.} go, without the prefix, to Kafka Streams; every other key is the pipeline's own and
 * is checked here, so a typo or a bad value stops the start with the key's name instead of being
 * ignored. Every key is documented in {@code config/pipeline.properties}.
 *
 * <p>Any value may contain {@code ${env:NAME}}, replaced by the environment variable {@code NAME}: meant
 * for {@code http.auth.token} and Kafka credentials ({@code streams.sasl.jaas.config},
 * {@code streams.ssl.*.password}). Secrets are never part of an error message.
 */
public final class PipelineConfig {
    public static final String STREAMS_PREFIX = "streams.";
    /** {@code milestones.thresholds.<DIMENSION>.<MEMBER>=700B,800B}: annual thresholds of one total. */
    public static final String THRESHOLDS_PREFIX = "milestones.thresholds.";

    /** Totals whose year passing the best full year on record is an ANNUAL_RECORD. */
    public static final String RECORDS_ANNUAL = "milestones.records.annual";
    /** Totals whose month passing the same month of every earlier year is a CALENDAR_MONTH_RECORD. */
    public static final String RECORDS_CALENDAR_MONTH = "milestones.records.calendar-month";
    /** Totals whose month passing every earlier month on record is a MONTHLY_RECORD. */
    public static final String RECORDS_MONTHLY = "milestones.records.monthly";
    /** Totals whose year-to-date value at a quarter's close is checked for a YEAR_TO_DATE_RECORD. */
    public static final String RECORDS_YTD_VALUE = "milestones.records.year-to-date.value";
    /** Totals whose year-to-date distinct exporters at a quarter's close are checked for a YEAR_TO_DATE_RECORD. */
    public static final String RECORDS_YTD_EXPORTERS = "milestones.records.year-to-date.exporters";

    /** A keystore (its key and certificate chain) to serve HTTPS with; empty: plain HTTP. */
    public static final String SERVING_TLS_KEYSTORE_PATH = "serving.tls.keystore.path";
    /** The keystore's password (and its key's); a secret, e.g. {@code ${env:EXPORT_COUNTER_TLS_PASSWORD}}. */
    public static final String SERVING_TLS_KEYSTORE_PASSWORD = "serving.tls.keystore.password";
    /** PKCS12 (the default) or JKS. */
    public static final String SERVING_TLS_KEYSTORE_TYPE = "serving.tls.keystore.type";

    /** The pipeline's own keys with their defaults. */
    private static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("reporting.country", "KR");
        d.put("reporting.zone", "Asia/Seoul");
        d.put("topics.declarations", "customs.export-declarations");
        d.put("topics.rates", "customs.exchange-rates");
        d.put("topics.totals", "export.totals");
        d.put("topics.milestones", "export.milestones");
        d.put("topics.forecasts", "export.forecasts");
        d.put("forecast.totals", "");
        d.put("forecast.min-interval.ms", "60000");
        d.put("topics.rejected", "export.declarations.rejected");
        d.put("topics.rates-by-week", "export-counter.rates-by-week");
        d.put("topics.stage-one-pace", "export-counter.stage-one-pace");
        d.put("topics.create-missing", "true");
        d.put("topics.partitions", "6");
        d.put("topics.replication-factor", "-1");
        d.put("rates.validity", "P7D");
        d.put("flush.interval.ms", "20");
        d.put("order.max-waiting-entries", "400000");
        d.put("order.wait-for-rates.ms", "30000");
        d.put("classification.categories", "");
        d.put("classification.regions", "");
        d.put("http.port", "8080");
        d.put("http.advertised-host", "localhost");
        d.put("http.auth.token", "");
        d.put("milestones.history", "");
        d.put("milestones.monthly-records", "true");
        d.put(RECORDS_ANNUAL, "NATIONAL");
        d.put(RECORDS_CALENDAR_MONTH, "NATIONAL");
        d.put(RECORDS_MONTHLY, "NATIONAL");
        d.put(RECORDS_YTD_VALUE, "EXPORTER_SIZE.SME");
        d.put(RECORDS_YTD_EXPORTERS, "EXPORTER_SIZE.SME");
        // HTTPS for the serving API (checked and loaded by the serving module's ServingTls).
        d.put(SERVING_TLS_KEYSTORE_PATH, "");
        d.put(SERVING_TLS_KEYSTORE_PASSWORD, "");
        d.put(SERVING_TLS_KEYSTORE_TYPE, "PKCS12");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    /** RFC 6750's b64token, long enough not to be guessed. */
    private static final String TOKEN = "[A-Za-z0-9._~+/-]{16,}=*";

    private final Map<String, String> own;
    private final Map<String, String> streams;
    private final Function<String, String> env;
    private final ConfigKeys keys;

    private final String country;
    private final ZoneId zone;
    private final Duration ratesValidity;
    private final Duration flushInterval;
    private final int maxWaitingEntries;
    private final Duration waitForRates;
    private final int topicPartitions;
    private final short replicationFactor;
    private final int httpPort;

    private PipelineConfig(Map<String, String> own, Map<String, String> streams, Function<String, String> env) {
        this.own = own;
        this.streams = streams;
        this.env = env;
        this.keys = new ConfigKeys(own, PipelineConfigException::new, env);
        this.country = keys.requireMatch("reporting.country", "[A-Z]{2}", "an upper-case ISO 3166-1 alpha-2 code");
        this.zone = keys.zone("reporting.zone");
        this.ratesValidity = keys.positiveDuration("rates.validity", "P7D");
        this.flushInterval = Duration.ofMillis(keys.intIn("flush.interval.ms", 1, 60_000));
        this.maxWaitingEntries = keys.intIn("order.max-waiting-entries", 16, 100_000_000);
        this.waitForRates = Duration.ofMillis(keys.intIn("order.wait-for-rates.ms", 0, 3_600_000));
        this.topicPartitions = keys.intIn("topics.partitions", 1, 10_000);
        this.replicationFactor = keys.replicationFactor("topics.replication-factor");
        this.httpPort = keys.intIn("http.port", 0, 65_535);
        keys.requireMatch("http.advertised-host", "[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]",
                "a host name or IP address other instances can reach (IPv6 in brackets)");
        keys.secret("http.auth.token", "(?:" + TOKEN + ")?", "empty (no token) or at least 16 characters"
                + " of A-Z a-z 0-9 - . _ ~ + / (e.g. the output of 'openssl rand -hex 32')");
        keys.requireMatch(SERVING_TLS_KEYSTORE_TYPE, "PKCS12|JKS", "PKCS12 or JKS");
        if (servingTlsKeystore() != null && servingTlsKeystorePassword().isEmpty()) {
            throw new PipelineConfigException(SERVING_TLS_KEYSTORE_PASSWORD, "is required with " + SERVING_TLS_KEYSTORE_PATH
                    + " (e.g. ${env:EXPORT_COUNTER_TLS_PASSWORD})");
        }
        // A streams.* value naming an unset variable stops the start here, with its key, not later in Kafka.
        streams.keySet().forEach(this::streamsValue);
        String guarantee = streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (guarantee != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(streamsValue(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            // The contract promises exactly-once, and the declaration ledger relies on it: its local store is
            // trusted only because Kafka Streams wipes a task's state after an unclean close under exactly-once.
            throw new PipelineConfigException(STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                    "must be " + StreamsConfig.EXACTLY_ONCE_V2 + " (the contract promises exactly-once)");
        }
        keys.bool("topics.create-missing");
        keys.bool("milestones.monthly-records");
        forecastMinInterval();
        for (String topicKey : new String[] {"topics.declarations", "topics.rates", "topics.totals",
                "topics.milestones", "topics.rejected", "topics.rates-by-week", "topics.stage-one-pace", "topics.forecasts"}) {
            keys.topicName(topicKey);
        }
    }

    public static PipelineConfig defaults() {
        return fromProperties(new Properties());
    }

    public static PipelineConfig load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new PipelineConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        return fromProperties(p);
    }

    public static PipelineConfig fromProperties(Properties props) {
        return fromProperties(props, System::getenv);
    }

    /** As {@link #fromProperties(Properties)}, with {@code ${env:NAME}} looked up in {@code env} (tests). */
    public static PipelineConfig fromProperties(Properties props, Function<String, String> env) {
        Map<String, String> own = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> streams = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String name : props.stringPropertyNames()) {
            String value = props.getProperty(name).trim();
            if (name.startsWith(STREAMS_PREFIX)) {
                streams.put(name.substring(STREAMS_PREFIX.length()), value);
            } else if (DEFAULTS.containsKey(name) || name.startsWith(THRESHOLDS_PREFIX)) {
                own.put(name, value);
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new PipelineConfigException(first, "unknown key (pipeline keys: " + DEFAULTS.keySet()
                    + ", " + THRESHOLDS_PREFIX + "<DIMENSION>.<MEMBER>; Kafka Streams keys start with '"
                    + STREAMS_PREFIX + "')");
        }
        return new PipelineConfig(own, streams, env);
    }

    /** A copy with one key changed; used for command-line overrides. */
    public PipelineConfig with(String key, String value) {
        Properties p = toProperties();
        p.setProperty(key, value);
        return fromProperties(p, env);
    }

    /** The settings as given ({@code ${env:NAME}} as written, never resolved). */
    public Properties toProperties() {
        Properties p = new Properties();
        own.forEach(p::setProperty);
        streams.forEach((k, v) -> p.setProperty(STREAMS_PREFIX + k, v));
        return p;
    }

    /**
     * The Kafka Streams properties: the file's {@code streams.*} keys over the pipeline's defaults.
     * Exactly-once always: the contract promises it to every consumer, and the ledger relies on it.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "export-counter");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Output is visible to read_committed consumers at commits, and a declaration passes two (stage 1's
        // batch, then stage 2's total): 50 ms keeps the produce-to-total p99 well under 250 ms at a live pace,
        // for about 6% of the throughput of 100 ms (docs/benchmarks.md).
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        // Every task reads one partition, so there is nothing to synchronize across partitions; waiting
        // (0, the default) also makes Kafka Streams format log strings for every idle task and loop.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // Bloom filters on every level: stage 1's ledger reads mostly miss (see RocksDbTuning).
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class.getName());
        streams.keySet().forEach(k -> p.put(k, streamsValue(k)));
        if (!p.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new PipelineConfigException(STREAMS_PREFIX + StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "is required (or pass --bootstrap-server)");
        }
        return p;
    }

    /** A {@code streams.*} setting (key without the prefix) with {@code ${env:NAME}} resolved; null if not set. */
    public String streamsValue(String streamsKey) {
        return keys.resolve(STREAMS_PREFIX + streamsKey, streams.get(streamsKey));
    }

    public String country() {
        return country;
    }

    public ZoneId zone() {
        return zone;
    }

    public Duration ratesValidity() {
        return ratesValidity;
    }

    /**
     * Change entries stage 2 may hold for lagging stage-1 tasks (about 250 bytes of heap each): past it, it applies them
     * without waiting and milestones may name declarations out of acceptance order; from a quarter of it, stage-1 tasks
     * get a quota (see StageOneLeads).
     */
    public int maxWaitingEntries() {
        return maxWaitingEntries;
    }

    /** How long a declaration waiting for its exchange rate holds the order for it (see WaitingForRates). */
    public Duration waitForRates() {
        return waitForRates;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public String declarationsTopic() {
        return keys.string("topics.declarations");
    }

    public String ratesTopic() {
        return keys.string("topics.rates");
    }

    public String totalsTopic() {
        return keys.string("topics.totals");
    }

    public String milestonesTopic() {
        return keys.string("topics.milestones");
    }

    public String rejectedTopic() {
        return keys.string("topics.rejected");
    }

    public String ratesByWeekTopic() {
        return keys.string("topics.rates-by-week");
    }

    /** Internal: stage 2 tells every instance which stage-1 tasks read too far ahead (StageOnePace). */
    public String stageOnePaceTopic() {
        return keys.string("topics.stage-one-pace");
    }

    public boolean createMissingTopics() {
        return keys.bool("topics.create-missing");
    }

    public int topicPartitions() {
        return topicPartitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The host name other instances use to reach this one's HTTP port (Kafka Streams' application.server). */
    public String httpAdvertisedHost() {
        return keys.string("http.advertised-host");
    }

    /**
     * The bearer token every API request but {@code /health} and the dashboard page must carry; empty
     * when the API is open. Every instance of an application must have the same one (they forward
     * queries to each other with it).
     */
    public Secret httpAuthToken() {
        return keys.secret("http.auth.token");
    }

    /** The keystore to serve HTTPS with, or null for plain HTTP. */
    public Path servingTlsKeystore() {
        return keys.optionalPath(SERVING_TLS_KEYSTORE_PATH);
    }

    /** The HTTPS keystore's password (resolved from the environment when written {@code ${env:NAME}}). */
    public Secret servingTlsKeystorePassword() {
        return keys.secret(SERVING_TLS_KEYSTORE_PASSWORD);
    }

    public String servingTlsKeystoreType() {
        return keys.string(SERVING_TLS_KEYSTORE_TYPE);
    }

    /** Path of the HS-code table, or null for the one packaged with the pipeline. */
    public Path categoriesFile() {
        return keys.optionalPath("classification.categories");
    }

    /** Path of the country-to-region table, or null for the one packaged with the pipeline. */
    public Path regionsFile() {
        return keys.optionalPath("classification.regions");
    }

    /** The {@code milestones.thresholds.*} keys given, with their values, in key order. */
    public Map<String, String> thresholdSettings() {
        Map<String, String> t = new java.util.TreeMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith(THRESHOLDS_PREFIX)) {
                t.put(k, keys.resolve(k, v));
            }
        });
        return t;
    }

    public boolean monthlyRecords() {
        return keys.bool("milestones.monthly-records");
    }

    /** A {@code milestones.records.*} key's value, as written (checked by the milestone rules). */
    public String recordTotals(String key) {
        return keys.string(key);
    }

    public String forecastsTopic() {
        return keys.string("topics.forecasts");
    }

    /** {@code forecast.totals} as written: the totals forecast (empty: NATIONAL and every total with thresholds). */
    public String forecastTotals() {
        return keys.string("forecast.totals");
    }

    /** How often at most a total's forecast is written ({@code forecast.min-interval.ms}). */
    public Duration forecastMinInterval() {
        return Duration.ofMillis(keys.intIn("forecast.min-interval.ms", 0, 86_400_000));
    }

    /** Folder of history CSV files (CONTRACT.md section 5a), or null for the history packaged with the pipeline. */
    public Path historyDir() {
        return keys.optionalPath("milestones.history");
    }
}
