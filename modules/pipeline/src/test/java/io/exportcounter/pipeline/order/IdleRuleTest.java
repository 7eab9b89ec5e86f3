package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleRuleTest {
    private final IdleRule rule = new IdleRule(Duration.ofMillis(20));

    private void flushes(int n) {
        for (int i = 0; i < n; i++) {
            rule.flushed();
        }
    }

    @Test
    void idle_needs_five_flushes_a_quarter_second_and_a_consumer_at_the_end_and_is_said_once() {
        rule.start(0);
        rule.read(1_000);
        // The flush right after a read does not count: the read came within its interval.
        flushes(6);
        assertThat(rule.becomesIdle(1_249, () -> true)).as("not long enough").isFalse();
        assertThat(rule.becomesIdle(1_250, () -> false)).as("records left for it").isFalse();
        assertThat(rule.becomesIdle(1_250, () -> true)).isTrue();
        assertThat(rule.idle()).isTrue();
        assertThat(rule.becomesIdle(2_000, () -> true)).as("said once").isFalse();
        rule.read(2_100);
        assertThat(rule.idle()).isFalse();
    }

    @Test
    void time_alone_is_not_enough_while_flushes_were_held_up() {
        rule.start(0);
        rule.read(0);
        flushes(5);
        assertThat(rule.becomesIdle(10_000, () -> true)).isFalse();
        rule.flushed();
        assertThat(rule.becomesIdle(10_000, () -> true)).isTrue();
    }

    @Test
    void a_task_that_never_read_waits_five_seconds_before_it_says_so() {
        rule.start(0);
        flushes(10);
        assertThat(rule.becomesIdle(4_999, () -> true)).isFalse();
        assertThat(rule.becomesIdle(5_000, () -> true)).isTrue();
    }
}
