package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void defaults_are_the_brief() {
        SimulatorOptions o = SimulatorOptions.defaults();
        assertThat(o.year()).isEqualTo(2025);
        assertThat(o.declarations()).isEqualTo(500_000);
        assertThat(o.malformedShare()).isEqualTo(0.001);
        assertThat(o.amendShare()).isEqualTo(0.03);
        assertThat(o.cancelShare()).isEqualTo(0.01);
        assertThat(o.declarationsTopic()).isEqualTo("customs.export-declarations");
        assertThat(o.ratesTopic()).isEqualTo("customs.exchange-rates");
        assertThat(o.paced()).isFalse();
        assertThat(o.progress()).isTrue();
        assertThat(o.slowMotion()).isEqualTo(SimulatorOptions.SlowMotion.AUTO);
        assertThat(o.slowMotionBefore()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void speed_and_rate_replace_each_other() {
        SimulatorOptions o = SimulatorOptions.builder().speed(100).rate(5000).build();
        assertThat(o.speed()).isZero();
        assertThat(o.rate()).isEqualTo(5000);
        assertThat(o.toBuilder().speed(1).build().rate()).isZero();
        assertThat(o.toBuilder().unpaced().build().paced()).isFalse();
    }

    @Test
    void bad_values_name_the_option() {
        assertThatThrownBy(() -> SimulatorOptions.builder().declarations(10).build()).hasMessageStartingWith("declarations ");
        assertThatThrownBy(() -> SimulatorOptions.builder().speed(-1).build()).hasMessageStartingWith("speed ");
        assertThatThrownBy(() -> SimulatorOptions.builder().malformedShare(2).build()).hasMessageStartingWith("malformed-share ");
        assertThatThrownBy(() -> SimulatorOptions.builder().ratesTopic("bad topic").build()).hasMessageStartingWith("rates-topic ");
        assertThatThrownBy(() -> SimulatorOptions.builder().year(1900).build()).hasMessageStartingWith("year ");
        assertThatThrownBy(() -> SimulatorOptions.builder().slowMotionSpeed(0).build()).hasMessageStartingWith("slow-motion-speed ");
    }
}
