package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        assertThat(restored.restore(positions.encode(41))).as("the last inbox batch they include").isEqualTo(41);
        assertThat(restored.watermark()).isEqualTo(Watermark.at(NOON));
        restored.update(reading(3, ONE_PM.plusSeconds(1)));
        assertThat(restored.watermark()).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void an_idle_claim_holds_while_the_partition_ends_where_the_task_had_read() {
        // Given task 1 idle at noon having read its partition to offset 40, and task 0 reading at 1 p.m.
        FakeEnds ends = new FakeEnds().at(1, 40);
        StageOnePositions checked = new StageOnePositions(ends);
        checked.update(reading(0, ONE_PM));
        checked.update(idleHavingRead(1, NOON, 40));

        // When the partition ends at 40, Then task 1 holds nobody back
        assertThat(checked.watermark()).isEqualTo(Watermark.at(ONE_PM));
        assertThat(ends.asked).containsExactly(Set.of(1));
    }

    @Test
    void an_idle_task_whose_partition_holds_more_than_it_read_is_waited_for_at_its_watermark() {
        // Given task 1 idle at noon having read to offset 40, while its partition has grown to 41 (its instance froze)
        StageOnePositions checked = new StageOnePositions(new FakeEnds().at(1, 41));
        checked.update(reading(0, ONE_PM));
        checked.update(idleHavingRead(1, NOON, 40));

        // Then entries wait for it as for a reading task
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON));
    }

    @Test
    void an_idle_task_that_read_nothing_yet_and_whose_partition_holds_something_holds_everything() {
        StageOnePositions checked = new StageOnePositions(new FakeEnds().at(1, 1));
        checked.update(reading(0, ONE_PM));
        checked.update(idleHavingRead(1, null, 0));
        assertThat(checked.watermark()).isEqualTo(Watermark.UNKNOWN);
    }

    @Test
    void a_claim_that_does_not_say_how_far_or_no_source_of_end_offsets_is_taken_as_it_is() {
        // Given a source that would say the partition holds more
        FakeEnds ends = new FakeEnds().at(1, 1_000);
        StageOnePositions checked = new StageOnePositions(ends);
        checked.update(reading(0, ONE_PM));
        checked.update(idle(1, NOON));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(ONE_PM));
        assertThat(ends.asked).isEmpty();

        positions.update(reading(0, ONE_PM));
        positions.update(idleHavingRead(1, NOON, 40));
        assertThat(positions.watermark()).isEqualTo(Watermark.at(ONE_PM));
    }

    @Test
    void end_offsets_are_read_again_only_when_a_batch_came_since_the_last_read_began() {
        FakeEnds ends = new FakeEnds().at(1, 40);
        StageOnePositions checked = new StageOnePositions(ends);
        checked.update(reading(0, ONE_PM));
        checked.update(idleHavingRead(1, NOON, 40));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(ONE_PM));

        // When the partition grows with no batch received, Then the last answer stands
        ends.at(1, 41);
        assertThat(checked.watermark()).isEqualTo(Watermark.at(ONE_PM));
        assertThat(checked.endReads()).isEqualTo(1);

        // When a batch arrives (task 0 read on), Then the ends are read again, and task 1 is waited for
        checked.update(reading(0, ONE_PM.plusSeconds(1)));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON));
        assertThat(checked.endReads()).isEqualTo(2);

        // And the pace's watermark reads nothing, whatever arrives
        checked.update(reading(0, ONE_PM.plusSeconds(2)));
        assertThat(checked.watermarkAsLastChecked()).isEqualTo(Watermark.at(NOON));
        assertThat(checked.endReads()).isEqualTo(2);
    }

    @Test
    void an_idle_task_that_would_hold_back_nothing_more_than_the_others_needs_no_read() {
        FakeEnds ends = new FakeEnds().at(1, 41);
        StageOnePositions checked = new StageOnePositions(ends);
        checked.update(reading(0, NOON));
        checked.update(idleHavingRead(1, ONE_PM, 40));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON));
        assertThat(ends.asked).isEmpty();
    }

    @Test
    void without_an_answer_an_idle_task_is_waited_for_and_the_next_decision_asks_again() {
        FakeEnds ends = new FakeEnds().at(1, 40);
        ends.failing = true;
        StageOnePositions checked = new StageOnePositions(ends);
        checked.update(reading(0, ONE_PM));
        checked.update(idleHavingRead(1, NOON, 40));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON));

        ends.failing = false;
        assertThat(checked.watermark()).isEqualTo(Watermark.at(ONE_PM));
        assertThat(checked.endReads()).isEqualTo(2);
    }

    @Test
    void idle_claims_survive_a_restart_and_are_checked_again() {
        StageOnePositions before = new StageOnePositions(new FakeEnds().at(1, 40));
        before.update(reading(0, ONE_PM));
        before.update(idleHavingRead(1, NOON, 40));
        assertThat(before.watermark()).isEqualTo(Watermark.at(ONE_PM));

        FakeEnds ends = new FakeEnds().at(1, 41);
        StageOnePositions restored = new StageOnePositions(ends);
        restored.restore(before.encode(StageOnePositions.NO_BATCH));
        assertThat(restored.watermark()).isEqualTo(Watermark.at(NOON));
        assertThat(ends.asked).containsExactly(Set.of(1));
    }

    @Test
    void positions_stored_by_the_previous_release_are_read() {
        // Format 1: task 0 reading at noon, task 2 idle at 1 p.m.
        BinaryWriter v1 = new BinaryWriter(64);
        v1.writeByte(1);
        v1.writeInt(2);
        v1.writeInt(0);
        v1.writeByte(1);
        v1.writeLong(NOON.getEpochSecond());
        v1.writeInt(0);
        v1.writeInt(2);
        v1.writeByte(1 | 2);
        v1.writeLong(ONE_PM.getEpochSecond());
        v1.writeInt(0);
        FakeEnds ends = new FakeEnds().at(2, 1_000);
        StageOnePositions restored = new StageOnePositions(ends);
        assertThat(restored.restore(v1.toByteArray())).as("an earlier format says no batch").isEqualTo(StageOnePositions.NO_BATCH);
        assertThat(restored.watermark()).isEqualTo(Watermark.at(NOON));
        restored.update(reading(0, ONE_PM.plusSeconds(60)));
        assertThat(restored.watermark()).isEqualTo(Watermark.at(ONE_PM.plusSeconds(60)));
        assertThat(ends.asked).isEmpty();
    }

    @Test
    void the_tasks_holding_entries_back_are_named_for_the_log() {
        // Given task 0 reading at noon, task 1 ahead of it, task 2 not heard from, task 3 idle with its partition
        // grown past its claim, and task 4 idle and caught up
        StageOnePositions checked = new StageOnePositions(new FakeEnds().at(3, 41).at(4, 7));
        checked.expect(5);
        checked.update(reading(0, NOON));
        checked.update(reading(1, ONE_PM));
        checked.update(idleHavingRead(3, NOON.minusSeconds(60), 40));
        checked.update(idleHavingRead(4, ONE_PM, 7));
        // Then the line names the slowest reading task and the silent one
        assertThat(checked.watermark()).isEqualTo(Watermark.UNKNOWN);
        assertThat(checked.holdingBack()).isEqualTo("partition 0 reading, at 2025-12-29T03:00:00Z; "
                + "partition 2 reading, nothing said of how far");

        // And once task 2 has said how far, the idle one whose partition grew past its claim
        checked.update(reading(2, ONE_PM));
        assertThat(checked.watermark()).isEqualTo(Watermark.at(NOON.minusSeconds(60)));
        assertThat(checked.holdingBack()).isEqualTo("partition 3 idle, claims offset 40 of a partition ending at 41, "
                + "at 2025-12-29T02:59:00Z");
    }

    @Test
    void no_task_is_named_when_none_holds_entries_back() {
        batchesAt(idle(0, NOON));
        assertThat(positions.holdingBack()).isEqualTo("no task");
    }

    /** End offsets as a test sets them, and what was asked. */
    private static final class FakeEnds implements InputEnds {
        final Map<Integer, Long> ends = new HashMap<>();
        final List<Set<Integer>> asked = new ArrayList<>();
        boolean failing;

        FakeEnds at(int partition, long end) {
            ends.put(partition, end);
            return this;
        }

        @Override
        public Optional<Map<Integer, Long>> endOffsets(Set<Integer> partitions) {
            asked.add(Set.copyOf(partitions));
            if (failing) {
                return Optional.empty();
            }
            Map<Integer, Long> answer = new HashMap<>();
            partitions.forEach(p -> answer.put(p, ends.getOrDefault(p, 0L)));
            return Optional.of(answer);
        }
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

    /** A batch of a task that has caught up with its partition, read to {@code offset}. */
    private static Position idleHavingRead(int partition, Instant readUpTo, long offset) {
        return new Position(partition, readUpTo, true, offset);
    }

    /** A batch of a task that has caught up with its partition. */
    private static Position idle(int partition, Instant readUpTo) {
        return new Position(partition, readUpTo, true);
    }
}
