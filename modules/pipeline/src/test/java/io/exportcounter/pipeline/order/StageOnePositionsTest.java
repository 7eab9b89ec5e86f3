package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StageOnePositionsTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");
    private static final Instant ONE_PM = Instant.parse("2025-12-29T04:00:00Z");

    private final StageOnePositions positions = new StageOnePositions();

    @Test
    void entries_may_be_applied_up_to_the_slowest_reading_task() {
        positions.update(new Position(0, ONE_PM, false), 0);
        positions.update(new Position(1, NOON, false), 0);
        assertThat(positions.watermark(10)).isEqualTo(Watermark.at(NOON));
    }

    @Test
    void an_idle_task_holds_nobody_back() {
        positions.update(new Position(0, ONE_PM, false), 0);
        positions.update(new Position(1, NOON, true), 0);
        assertThat(positions.watermark(10)).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void nothing_holds_entries_back_when_every_task_is_idle_or_none_is_known() {
        assertThat(positions.watermark(0)).isEqualTo(Watermark.NONE);
        positions.update(new Position(0, NOON, true), 0);
        assertThat(positions.watermark(10)).isEqualTo(Watermark.NONE);
    }

    @Test
    void a_task_silent_for_five_seconds_is_no_longer_waited_for() {
        positions.update(new Position(0, ONE_PM, false), 0);
        positions.update(new Position(1, NOON, false), 0);
        positions.update(new Position(0, ONE_PM, false), 4_000);
        assertThat(positions.watermark(4_999)).isEqualTo(Watermark.at(NOON));
        assertThat(positions.watermark(5_000)).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void an_expected_task_not_heard_from_holds_everything_until_it_reports() {
        positions.expect(2, 0);
        positions.update(new Position(0, ONE_PM, false), 0);
        assertThat(positions.watermark(10)).isEqualTo(Watermark.UNKNOWN);
        positions.update(new Position(1, NOON, false), 20);
        assertThat(positions.watermark(30)).isEqualTo(Watermark.at(NOON));
    }

    @Test
    void a_watermark_never_goes_back_and_a_batch_without_one_keeps_the_last() {
        positions.update(new Position(0, ONE_PM, false), 0);
        positions.update(new Position(0, NOON, false), 10);
        positions.update(new Position(0, null, false), 20);
        assertThat(positions.watermark(30)).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void batches_from_no_task_change_nothing() {
        positions.update(new Position(0, NOON, false), 0);
        positions.update(Position.UNKNOWN, 0);
        assertThat(positions.watermark(10)).isEqualTo(Watermark.at(NOON));
    }

    @Test
    void positions_survive_a_restart() {
        positions.update(new Position(0, ONE_PM, false), 0);
        positions.update(new Position(3, NOON, false), 0);
        positions.update(new Position(5, null, true), 0);
        StageOnePositions restored = new StageOnePositions();
        restored.restore(positions.encode(), 100_000);
        assertThat(restored.watermark(100_010)).isEqualTo(Watermark.at(NOON));
        restored.update(new Position(3, ONE_PM.plusSeconds(1), false), 100_020);
        assertThat(restored.watermark(100_030)).isEqualTo(Watermark.at(ONE_PM));
    }
}
