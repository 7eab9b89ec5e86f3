package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.exportcounter.testsupport.KafkaBackend.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBackendTest {

    @Test
    void auto_takes_a_container_when_docker_is_there_and_the_embedded_broker_otherwise() {
        assertThat(KafkaBackend.choose(null, () -> true)).isEqualTo(Kind.TESTCONTAINERS);
        assertThat(KafkaBackend.choose("", () -> true)).isEqualTo(Kind.TESTCONTAINERS);
        assertThat(KafkaBackend.choose("auto", () -> false)).isEqualTo(Kind.EMBEDDED);
        assertThat(KafkaBackend.choose(" AUTO ", () -> true)).isEqualTo(Kind.TESTCONTAINERS);
    }

    @Test
    void forced_embedded_does_not_even_look_for_docker() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(KafkaBackend.choose("embedded", () -> asked.incrementAndGet() > 0)).isEqualTo(Kind.EMBEDDED);
        assertThat(asked).hasValue(0);
    }

    @Test
    void forced_testcontainers_without_docker_fails_saying_why_and_how_to_get_on() {
        assertThat(KafkaBackend.choose("testcontainers", () -> true)).isEqualTo(Kind.TESTCONTAINERS);
        assertThatThrownBy(() -> KafkaBackend.choose("testcontainers", () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine")
                .hasMessageContaining("-Dkafka.backend=auto or =embedded");
    }

    @Test
    void an_unknown_value_is_an_error_not_a_silent_default() {
        assertThatThrownBy(() -> KafkaBackend.choose("docker", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dkafka.backend=docker is not one of auto, embedded, testcontainers");
    }

    @Test
    void the_image_defaults_to_apache_kafka_of_the_client_version() {
        String saved = System.getProperty(KafkaBackend.IMAGE_PROPERTY);
        try {
            System.clearProperty(KafkaBackend.IMAGE_PROPERTY);
            assertThat(KafkaBackend.kafkaVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(KafkaBackend.image()).isEqualTo("apache/kafka:" + KafkaBackend.kafkaVersion());
            System.setProperty(KafkaBackend.IMAGE_PROPERTY, "apache/kafka:4.1.1");
            assertThat(KafkaBackend.image()).isEqualTo("apache/kafka:4.1.1");
        } finally {
            if (saved == null) {
                System.clearProperty(KafkaBackend.IMAGE_PROPERTY);
            } else {
                System.setProperty(KafkaBackend.IMAGE_PROPERTY, saved);
            }
        }
    }

    @Test
    void auto_mode_asks_testcontainers_only_when_something_points_to_a_docker_engine(@TempDir Path home) throws Exception {
        assumeFalse(Files.exists(Path.of("/var/run/docker.sock")),
                "this machine has a Docker socket at /var/run/docker.sock");
        assertThat(KafkaBackend.dockerHinted(Map.of(), home)).isFalse();
        assertThat(KafkaBackend.dockerHinted(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"), home)).isTrue();
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix:///x.sock\n");
        assertThat(KafkaBackend.dockerHinted(Map.of(), home)).isTrue();
        Path runtime = Files.createDirectories(home.resolve("run/podman"));
        Files.createFile(runtime.resolve("podman.sock"));
        Files.delete(home.resolve(".testcontainers.properties"));
        assertThat(KafkaBackend.dockerHinted(Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()), home)).isTrue();
    }
}
