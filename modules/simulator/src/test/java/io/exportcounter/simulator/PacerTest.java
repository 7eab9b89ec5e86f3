package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Instant CROSSING = Instant.parse("2025-12-29T04:03:27Z");
    private static final Optional<Calibration.PlannedCrossing> PLANNED =
            Optional.of(new Calibration.PlannedCrossing(70_000_000_000_000L, CROSSING));

    private static SimEvent at(long epochSecond, SimEvent.Kind kind) {
        return new SimEvent(epochSecond, kind, "k", new byte[0], 0);
    }

    @Test
    void speed_maps_simulated_time_to_real_time() {
        Pacer p = new Pacer(SimulatorOptions.builder().year(2024).speed(3600).build(), Optional.empty());
        long t0 = 1_000_000;
        assertThat(p.dueAt(at(t0, SimEvent.Kind.ACCEPT), 0)).isZero();
        assertThat(p.dueAt(at(t0 + 3600, SimEvent.Kind.ACCEPT), 0)).isEqualTo(SECOND);
        assertThat(p.dueAt(at(t0 + 3 * 3600, SimEvent.Kind.RATE), 0)).isEqualTo(3 * SECOND);
    }

    @Test
    void rate_spaces_declaration_records_and_not_rates() {
        Pacer p = new Pacer(SimulatorOptions.builder().year(2024).rate(1000).build(), Optional.empty());
        p.dueAt(at(0, SimEvent.Kind.ACCEPT), 0);
        assertThat(p.dueAt(at(10, SimEvent.Kind.ACCEPT), 0)).isEqualTo(SECOND / 1000);
        assertThat(p.dueAt(at(99_999, SimEvent.Kind.RATE), 0)).isEqualTo(SECOND / 1000);
        assertThat(p.dueAt(at(99_999, SimEvent.Kind.MALFORMED), 0)).isEqualTo(2 * SECOND / 1000);
    }

    @Test
    void unpaced_sends_at_once() {
        Pacer p = new Pacer(SimulatorOptions.builder().build(), PLANNED);
        p.dueAt(at(0, SimEvent.Kind.ACCEPT), 5);
        assertThat(p.dueAt(at(CROSSING.getEpochSecond(), SimEvent.Kind.ACCEPT), 7)).isLessThanOrEqualTo(7);
        assertThat(p.inSlowMotion(CROSSING.getEpochSecond())).isFalse(); // AUTO: only when paced
    }

    @Test
    void slow_motion_plays_the_minutes_before_the_crossing_at_its_own_speed() {
        SimulatorOptions o = SimulatorOptions.builder().rate(10_000).slowMotionSpeed(60)
                .slowMotionBefore(Duration.ofMinutes(30)).slowMotionAfter(Duration.ofMinutes(2)).build();
        Pacer p = new Pacer(o, PLANNED);
        long c = CROSSING.getEpochSecond();
        p.dueAt(at(c - 7200, SimEvent.Kind.ACCEPT), 0);
        // Two hours before to 10 minutes before: 20 minutes of it in slow motion, where time (not the rate) paces.
        long due = p.dueAt(at(c - 600, SimEvent.Kind.ACCEPT), 0);
        assertThat(due).isEqualTo(20 * 60 * SECOND / 60);
        assertThat(p.inSlowMotion(c)).isTrue();
        assertThat(p.inSlowMotion(c + 121)).isFalse();
        // To the crossing: 10 more simulated minutes, 10 real seconds.
        assertThat(p.dueAt(at(c, SimEvent.Kind.ACCEPT), 0)).isEqualTo(30 * SECOND);
    }

    @Test
    void slow_motion_never_speeds_a_slow_run_up() {
        Pacer p = new Pacer(SimulatorOptions.builder().speed(1).slowMotion(SimulatorOptions.SlowMotion.ON).build(), PLANNED);
        long c = CROSSING.getEpochSecond();
        p.dueAt(at(c - 10, SimEvent.Kind.ACCEPT), 0);
        assertThat(p.dueAt(at(c, SimEvent.Kind.ACCEPT), 0)).isEqualTo(10 * SECOND);
    }

    @Test
    void slow_motion_can_be_switched_off_and_needs_a_crossing_to_be_on() {
        Pacer off = new Pacer(SimulatorOptions.builder().speed(100).slowMotion(SimulatorOptions.SlowMotion.OFF).build(), PLANNED);
        assertThat(off.inSlowMotion(CROSSING.getEpochSecond())).isFalse();
        assertThatThrownBy(() -> new Pacer(SimulatorOptions.builder().year(2024).speed(100)
                .slowMotion(SimulatorOptions.SlowMotion.ON).build(), Optional.empty()))
                .hasMessageContaining("planned crossing");
    }

    @Test
    void fast_forward_then_pace_from_there() {
        long c = CROSSING.getEpochSecond();
        Pacer p = new Pacer(SimulatorOptions.builder().speed(60).slowMotion(SimulatorOptions.SlowMotion.OFF)
                .fastForwardUntil(CROSSING.minusSeconds(600)).build(), PLANNED);
        assertThat(p.dueAt(at(c - 100_000, SimEvent.Kind.ACCEPT), 3)).isEqualTo(3);
        assertThat(p.dueAt(at(c - 601, SimEvent.Kind.ACCEPT), 4)).isEqualTo(4);
        assertThat(p.dueAt(at(c - 600, SimEvent.Kind.ACCEPT), 5)).isEqualTo(5);
        assertThat(p.dueAt(at(c - 540, SimEvent.Kind.ACCEPT), 5)).isEqualTo(5 + SECOND);
    }

    @Test
    void a_producer_that_falls_behind_keeps_at_most_a_second_of_debt() {
        Pacer p = new Pacer(SimulatorOptions.builder().speed(1).build(), Optional.empty());
        p.dueAt(at(0, SimEvent.Kind.ACCEPT), 0);
        // Ten seconds late for a record due at 1 s: it is sent now, and the next one a second after it.
        assertThat(p.dueAt(at(1, SimEvent.Kind.ACCEPT), 11 * SECOND)).isEqualTo(10 * SECOND);
        assertThat(p.dueAt(at(2, SimEvent.Kind.ACCEPT), 11 * SECOND)).isEqualTo(11 * SECOND);
    }
}
