package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.pipeline.declarations.DeclarationProcessor;
import io.exportcounter.pipeline.state.RocksDbTuning;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

class PipelineConfigTest {

    @Test
    void the_shipped_config_file_loads_and_matches_the_defaults() {
        Path shipped = Path.of(System.getProperty("project.root", "../.."), "config", "pipeline.properties");
        PipelineConfig config = PipelineConfig.load(shipped);
        assertThat(config.country()).isEqualTo("KR");
        assertThat(config.zone()).hasToString("Asia/Seoul");
        assertThat(config.declarationsTopic()).isEqualTo("customs.export-declarations");
        assertThat(config.ratesValidity()).isEqualTo(Duration.ofDays(7));
        Properties streams = config.streamsProperties();
        assertThat(streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("localhost:9092");
        assertThat(streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.thresholdSettings()).containsKeys("milestones.thresholds.NATIONAL.KR",
                "milestones.thresholds.CATEGORY.SEMICONDUCTORS");
    }

    @Test
    void streams_keys_pass_through_without_their_prefix_and_exactly_once_is_the_default() {
        Properties p = new Properties();
        p.setProperty("streams.bootstrap.servers", "b1:9092,b2:9092");
        p.setProperty("streams.num.stream.threads", "2");
        Properties streams = PipelineConfig.fromProperties(p).streamsProperties();
        assertThat(streams.getProperty("bootstrap.servers")).isEqualTo("b1:9092,b2:9092");
        assertThat(streams.getProperty("num.stream.threads")).isEqualTo("2");
        assertThat(streams.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(streams.getProperty("application.id")).isEqualTo("export-counter");
    }

    @Test
    void the_defaults_for_latency_and_throughput_are_set_and_a_file_overrides_them() {
        Properties p = new Properties();
        p.setProperty("streams.bootstrap.servers", "b1:9092");
        Properties streams = PipelineRunner.streamsProperties(PipelineConfig.fromProperties(p));
        assertThat(streams.getProperty("commit.interval.ms")).isEqualTo("50");
        assertThat(streams.getProperty("max.task.idle.ms")).isEqualTo("-1");
        assertThat(streams.getProperty("producer.compression.type")).isEqualTo("lz4");
        assertThat(streams.getProperty("producer.batch.size")).isEqualTo("262144");
        assertThat(streams.get("rocksdb.config.setter")).isEqualTo(RocksDbTuning.class.getName());

        p.setProperty("streams.commit.interval.ms", "200");
        p.setProperty("streams.producer.compression.type", "zstd");
        Properties overridden = PipelineRunner.streamsProperties(PipelineConfig.fromProperties(p));
        assertThat(overridden.getProperty("commit.interval.ms")).isEqualTo("200");
        assertThat(overridden.getProperty("producer.compression.type")).isEqualTo("zstd");
    }

    @Test
    void rocksdb_keeps_bloom_filters_on_every_level_for_reads_that_miss() {
        try (Options options = new Options().setOptimizeFiltersForHits(true)) {
            new RocksDbTuning().setConfig("declaration-ledger", options, Map.of());
            assertThat(options.optimizeFiltersForHits()).isFalse();
            assertThat(options.memtableWholeKeyFiltering()).isTrue();
            assertThat(options.memtablePrefixBloomSizeRatio()).isGreaterThan(0);
        }
    }

    @Test
    void rocksdb_compresses_the_ledger_journal_only() {
        try (Options journal = new Options(); Options ledger = new Options()) {
            new RocksDbTuning().setConfig(DeclarationProcessor.LEDGER_JOURNAL_STORE, journal, Map.of());
            new RocksDbTuning().setConfig(DeclarationProcessor.LEDGER_STORE, ledger, Map.of());
            assertThat(journal.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
            assertThat(ledger.compressionType()).isNotEqualTo(CompressionType.LZ4_COMPRESSION);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
            "reporting.zone=Mars/Olympus",
            "reporting.country=kr",
            "rates.validity=seven days",
            "rates.validity=PT0S",
            "flush.interval.ms=0",
            "topics.partitions=many",
            "topics.replication-factor=0",
            "topics.create-missing=yes",
            "topics.totals=bad topic name",
            "http.port=70000",
            "milestones.monthly-records=maybe",
            "reportng.zone=Asia/Seoul",
            "streams.processing.guarantee=at_least_once",
    })
    void a_bad_value_or_unknown_key_fails_at_start_naming_the_key(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        assertThatThrownBy(() -> PipelineConfig.fromProperties(p))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .satisfies(e -> assertThat(((PipelineConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void a_missing_bootstrap_server_is_named() {
        assertThatThrownBy(() -> PipelineConfig.defaults().streamsProperties())
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("streams.bootstrap.servers");
    }

    @Test
    void a_missing_classification_file_is_named() {
        assertThatThrownBy(() -> PipelineConfig.defaults().with("classification.regions", "/nope/regions.csv").regionsFile())
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("classification.regions").hasMessageContaining("/nope/regions.csv");
    }

    @Test
    void env_references_are_resolved_in_own_and_streams_values_and_never_written_back() {
        Properties p = new Properties();
        p.setProperty("streams.bootstrap.servers", "${env:EC_BOOTSTRAP}");
        p.setProperty("streams.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"counter\" password=\"${env:EC_KAFKA_PASSWORD}\";");
        p.setProperty("http.auth.token", "${env:EC_TOKEN}");
        Map<String, String> env = Map.of("EC_BOOTSTRAP", "b1:9093", "EC_KAFKA_PASSWORD", "kafka-pw-0001",
                "EC_TOKEN", "tok-0123456789abcdef");
        PipelineConfig config = PipelineConfig.fromProperties(p, env::get);

        Properties streams = config.streamsProperties();
        assertThat(streams.getProperty("bootstrap.servers")).isEqualTo("b1:9093");
        assertThat(streams.getProperty("sasl.jaas.config")).contains("password=\"kafka-pw-0001\";");
        assertThat(config.httpAuthToken().reveal()).isEqualTo("tok-0123456789abcdef");
        assertThat(config.httpAuthToken()).hasToString("(secret)");
        // What is given back (overrides, dumps) is what was written: the references, not the secrets.
        assertThat(config.toProperties().toString()).doesNotContain("kafka-pw-0001").doesNotContain("tok-0123456789abcdef")
                .contains("${env:EC_TOKEN}");
        assertThat(config.with("http.port", "9000").httpAuthToken().reveal()).isEqualTo("tok-0123456789abcdef");
    }

    @Test
    void an_unset_variable_is_named_with_its_key() {
        Properties p = new Properties();
        p.setProperty("http.auth.token", "${env:EC_NOT_SET}");
        assertThatThrownBy(() -> PipelineConfig.fromProperties(p, name -> null))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("http.auth.token").hasMessageContaining("EC_NOT_SET");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"short-token-1", "has a space in it 0123", "quote\"0123456789abcdef", "ünicode-0123456789abc"})
    void a_bad_token_is_refused_without_repeating_it(String token) {
        Properties p = new Properties();
        p.setProperty("http.auth.token", token);
        assertThatThrownBy(() -> PipelineConfig.fromProperties(p))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("http.auth.token").hasMessageContaining("not shown")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    }

    @Test
    void no_token_means_an_open_api_and_a_good_token_is_taken() {
        assertThat(PipelineConfig.defaults().httpAuthToken().isEmpty()).isTrue();
        String hex = "3f9a0c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
        assertThat(PipelineConfig.defaults().with("http.auth.token", hex).httpAuthToken().reveal()).isEqualTo(hex);
        assertThat(PipelineConfig.defaults().with("http.auth.token", "YWJjZGVmZ2hpamtsbW5vcA==").httpAuthToken().isEmpty()).isFalse();
    }
}
