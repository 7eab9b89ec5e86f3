package io.exportcounter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaClusterBuilderTest {

    @Test
    void the_nodes_listen_on_localhost_unless_told_another_address() {
        assertThat(KafkaCluster.builder().build().host()).isEqualTo("localhost");
        assertThat(KafkaCluster.builder().host("10.77.0.1").build().host()).isEqualTo("10.77.0.1");
    }

    @Test
    void refuses_a_host_that_cannot_be_written_into_a_listener() {
        for (String bad : new String[] {"", " ", "a b", "10.0.0.1:9092", "h1,h2", "::1", "x/y"}) {
            assertThatThrownBy(() -> KafkaCluster.builder().host(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("host must be");
        }
    }
}
