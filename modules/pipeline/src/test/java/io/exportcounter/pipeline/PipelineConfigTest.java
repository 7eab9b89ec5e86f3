package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
