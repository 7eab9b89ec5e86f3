package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StageOnePositionsTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");
    private static final Instant ONE_PM = Instant.parse("2025-12-29T04:00:00Z");

    private final StageOnePositions positions = new StageOnePositions();

    static Stream<Arguments> positionsAndTheirWatermark() {
        return Stream.of(
                arguments("entries may be applied up to the slowest reading task",
                        List.of(reading(0, ONE_PM), reading(1, NOON)), Watermark.at(NOON)),
                arguments("an idle task holds nobody back",
                        List.of(reading(0, ONE_PM), idle(1, NOON)), Watermark.at(ONE_PM)),
                arguments("nothing holds entries back when no task is known",
                        List.of(), Watermark.NONE),
                arguments("nothing holds entries back when every task is idle",
                        List.of(idle(0, NOON)), Watermark.NONE),
                arguments("batches from no task change nothing",
                        List.of(reading(0, NOON), Position.UNKNOWN), Watermark.at(NOON)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positionsAndTheirWatermark")
    void the_watermark_is_the_position_of_the_slowest_task_that_holds_entries_back(String rule, List<Position> reported,
            Watermark expected) {
        batchesAt(reported.toArray(Position[]::new));
        assertThat(positions.watermark()).isEqualTo(expected);
    }

    @Test
    void a_silent_task_is_waited_for_until_it_reports_again() {
        // Task 1 stops sending (its instance is killed); its entries still to come must not be overtaken.
        batchesAt(reading(0, ONE_PM), reading(1, NOON));
        batchesAt(reading(0, ONE_PM.plusSeconds(600)));
        assertThat(positions.watermark()).isEqualTo(Watermark.at(NOON));
        batchesAt(reading(1, ONE_PM));
        assertThat(positions.watermark()).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void an_expected_task_not_heard_from_holds_everything_until_it_reports() {
        positions.expect(2);
        batchesAt(reading(0, ONE_PM));
        assertThat(positions.watermark()).isEqualTo(Watermark.UNKNOWN);
        batchesAt(reading(1, NOON));
        assertThat(positions.watermark()).isEqualTo(Watermark.at(NOON));
    }

    @Test
    void a_watermark_never_goes_back_and_a_batch_without_one_keeps_the_last() {
        batchesAt(reading(0, ONE_PM));
        batchesAt(reading(0, NOON));
        batchesAt(reading(0, null));
        assertThat(positions.watermark()).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void positions_survive_a_restart() {
        batchesAt(reading(0, ONE_PM), reading(3, NOON), idle(5, null));
        StageOnePositions restored = new StageOnePositions();
        restored.restore(positions.encode());
        assertThat(restored.watermark()).isEqualTo(Watermark.at(NOON));
        restored.update(reading(3, ONE_PM.plusSeconds(1)));
        assertThat(restored.watermark()).isEqualTo(Watermark.at(ONE_PM));
    }

    /** Batches from stage-1 tasks arriving in this order. */
    private void batchesAt(Position... batches) {
        for (Position p : batches) {
            positions.update(p);
        }
    }

    /** A batch of a task that is reading: its partition and how far in acceptance time it has read. */
    private static Position reading(int partition, Instant readUpTo) {
        return new Position(partition, readUpTo, false);
    }

    /** A batch of a task that has caught up with its partition. */
    private static Position idle(int partition, Instant readUpTo) {
        return new Position(partition, readUpTo, true);
    }
}
