package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The instance tells the others where its HTTP API is: application.server from http.advertised-host and http.port. */
class AdvertisedHostTest {
    private static final PipelineConfig BASE = PipelineConfig.defaults().with("streams.bootstrap.servers", "k:9092");

    @Test
    void application_server_is_the_advertised_host_and_http_port() {
        assertThat(PipelineRunner.streamsProperties(BASE).getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("localhost:8080");
        PipelineConfig c = BASE.with("http.advertised-host", "pipeline-2.internal").with("http.port", "18080");
        assertThat(PipelineRunner.streamsProperties(c).getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("pipeline-2.internal:18080");
    }

    @Test
    void port_0_is_not_advertised_and_an_explicit_setting_wins() {
        assertThat(PipelineRunner.streamsProperties(BASE.with("http.port", "0"))
                .getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isNull();
        assertThat(PipelineRunner.streamsProperties(BASE.with("streams.application.server", "lb.example:80"))
                .getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("lb.example:80");
    }

    @Test
    void a_bad_host_stops_the_start_naming_the_key() {
        assertThatThrownBy(() -> BASE.with("http.advertised-host", "host:8080"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("http.advertised-host");
        assertThat(BASE.with("http.advertised-host", "[::1]").httpAdvertisedHost()).isEqualTo("[::1]");
    }
}
