package io.exportcounter.pipeline.totals;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.contract.Milestone;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.order.Inbox;
import io.exportcounter.pipeline.order.Quota;
import io.exportcounter.pipeline.order.StageOnePace;
import io.exportcounter.pipeline.order.StageOnePacer;
import io.exportcounter.pipeline.order.Watermark;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage 2 applies entries of several stage-1 tasks in acceptance order, even when one task has read
 * an hour further than another: what lies beyond the slowest reading task waits.
 */
class AcceptanceOrderAcrossTasksTest {
    private static final long B = 100_000_000_000L; // $1B in cents

    @Test
    void the_declaration_that_crossed_is_named_though_another_task_ran_an_hour_ahead() {
        // Given $699.5B counted, and two stage-1 tasks
        Stage2Harness stage2 = new Stage2Harness(1_000, 2, null);
        stage2.send(new Position(0, at("12:00"), false), List.of(add("BASE", 699_5 * B / 10, "12:00")));
        stage2.send(new Position(1, at("12:00"), false), List.of());
        stage2.round();
        // When task 0 has read up to 2 p.m. ($1B accepted at 1:30 p.m.) and task 1 only up to 1 p.m.
        stage2.send(new Position(0, at("14:00"), false), List.of(add("AHEAD", B, "13:30")));
        stage2.send(new Position(1, at("13:00"), false), List.of(add("EARLIER", B / 4, "12:40")));
        stage2.round();
        // Then only what was accepted up to 1 p.m. is counted, and nothing has crossed $700B yet
        assertThat(stage2.nationalCents()).isEqualTo(699_75 * B / 100);
        assertThat(stage2.milestones).noneMatch(m -> m.milestoneId().endsWith("|700000000000"));

        // When task 1 reads on to 2 p.m., with $0.5B accepted at 1:03 p.m.
        stage2.send(new Position(1, at("14:00"), false), List.of(add("CROSSING", B / 2, "13:03")));
        stage2.round();
        // Then the 1:03 p.m. declaration crossed $700B, not the one accepted at 1:30 p.m.
        Milestone m700 = stage2.milestones.stream().filter(m -> m.milestoneId().equals("2025|NATIONAL|KR|700000000000"))
                .findFirst().orElseThrow();
        assertThat(m700.declarationId()).isEqualTo("CROSSING");
        assertThat(m700.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
        assertThat(stage2.nationalCents()).isEqualTo(701_25 * B / 100);
    }

    @Test
    void entries_waiting_for_a_slower_task_survive_a_restart_and_are_applied_when_it_catches_up() {
        // Given an entry of task 0 waiting for task 1
        Stage2Harness before = withAnEntryOfTaskZeroWaitingForTaskOne();

        // When stage 2 restarts on its stores and task 1 then reads past it
        Stage2Harness after = new Stage2Harness(1_000, 2, before);
        after.send(new Position(1, at("14:00"), false), List.of(add("LATER", B, "13:45")));
        after.round();

        // Then both are counted, once
        assertThat(after.nationalCents()).isEqualTo(2 * B);
        assertThat(after.latest.get("2025|NATIONAL|KR").declarations()).isEqualTo(2);
    }

    @Test
    void a_batch_half_applied_before_a_restart_has_its_other_half_applied_once_after_it() {
        // Given a batch of task 0 of which the entry accepted before task 1's watermark was applied
        Stage2Harness before = new Stage2Harness(1_000, 2, null);
        before.send(new Position(0, at("14:00"), false), List.of(add("BEFORE", B, "12:30"), add("AFTER", 2 * B, "13:30")));
        before.send(new Position(1, at("13:00"), false), List.of());
        before.round();
        assertThat(before.nationalCents()).isEqualTo(B);

        // When stage 2 restarts on its stores and task 1 then reads past the other entry
        Stage2Harness after = new Stage2Harness(1_000, 2, before);
        after.send(new Position(1, at("14:00"), false), List.of());
        after.round();

        // Then the other entry is counted, and the first one not again
        assertThat(after.nationalCents()).isEqualTo(3 * B);
        assertThat(after.latest.get("2025|NATIONAL|KR").declarations()).isEqualTo(2);
        // And nothing is left in the inbox but the positions
        after.send(new Position(1, at("15:00"), true), List.of());
        after.round();
        assertThat(after.inboxKeys()).containsExactly(Inbox.POSITIONS_KEY);
    }

    @Test
    void past_the_cap_on_waiting_entries_a_round_applies_them_without_waiting_for_the_lagging_task() {
        // Given a stage 2 that lets at most 3 entries wait, and task 1 lagging at 1 p.m.
        Stage2Harness stage2 = new Stage2Harness(1_000, 3, 2, null);
        stage2.send(new Position(1, at("13:00"), false), List.of());
        // When task 0 sends 3 entries past task 1's watermark, they wait
        stage2.send(new Position(0, at("14:00"), false), List.of(add("A", B, "13:10"), add("B", B, "13:20"), add("C", B, "13:30")));
        stage2.round();
        assertThat(stage2.nationalCents()).isZero();
        // Then a fourth one takes the waiting entries past the cap, and the next round applies all four
        stage2.send(new Position(0, at("14:00"), false), List.of(add("D", B, "13:40")));
        stage2.round();
        stage2.send(new Position(0, at("14:00"), false), List.of());
        stage2.round();
        assertThat(stage2.nationalCents()).isEqualTo(4 * B);
    }

    @Test
    void once_a_quarter_of_the_cap_waits_stage_2_gives_the_tasks_a_quota_past_its_watermark_until_an_eighth_does() {
        // Given a stage 2 that lets at most 8 entries wait, task 1 lagging at 1 p.m.
        Stage2Harness stage2 = new Stage2Harness(1_000, 8, 2, null);
        stage2.send(new Position(1, at("13:00"), false), List.of());
        stage2.send(new Position(0, at("13:00"), false), List.of());
        stage2.round();
        // It says its watermark, with no quota while little waits
        assertThat(stage2.paces).last().isEqualTo(new StageOnePace(Watermark.at(at("13:00")), Quota.UNLIMITED));

        // When task 0 sends 3 entries past the watermark (more than a quarter of 8)
        stage2.send(new Position(0, at("14:00"), false), List.of(add("A", B, "13:10"), add("B", B, "13:20"), add("C", B, "13:30")));
        stage2.time += StageOnePacer.MIN_INTERVAL_MS;
        stage2.round();

        // Then each of the 2 tasks may have read its share of three quarters of the cap past 1 p.m.: 3
        assertThat(stage2.paces).last().isEqualTo(new StageOnePace(Watermark.at(at("13:00")), Quota.of(3)));

        // And when task 1 catches up and nothing waits any more, the quota is lifted
        stage2.send(new Position(1, at("14:00"), false), List.of());
        stage2.time += StageOnePacer.MIN_INTERVAL_MS;
        stage2.round();
        assertThat(stage2.nationalCents()).isEqualTo(3 * B);
        assertThat(stage2.paces).last().isEqualTo(new StageOnePace(Watermark.at(at("14:00")), Quota.UNLIMITED));
    }

    @Test
    void a_task_that_goes_idle_no_longer_holds_the_others_back() {
        // Given an entry of task 0 waiting for task 1
        Stage2Harness stage2 = withAnEntryOfTaskZeroWaitingForTaskOne();

        // When task 1 goes idle
        stage2.send(new Position(1, at("13:00"), true), List.of());
        stage2.round();

        // Then the entry is applied
        assertThat(stage2.nationalCents()).isEqualTo(B);
    }

    /**
     * A stage 2 with two tasks, where task 0 has read up to 2 p.m. with $1B accepted at 1:30 p.m. and task 1 only up
     * to 1 p.m.: that entry waits, and nothing is counted yet.
     */
    private static Stage2Harness withAnEntryOfTaskZeroWaitingForTaskOne() {
        Stage2Harness stage2 = new Stage2Harness(1_000, 2, null);
        stage2.send(new Position(0, at("14:00"), false), List.of(add("AHEAD", B, "13:30")));
        stage2.send(new Position(1, at("13:00"), false), List.of());
        stage2.round();
        assertThat(stage2.nationalCents()).isZero();
        return stage2;
    }

    private static Instant at(String kst) {
        return Instant.parse("2025-12-29T" + kst + ":00+09:00");
    }

    private static ChangeEntry add(String id, long cents, String kst) {
        return ChangeEntry.add(id, new Contribution(cents, at(kst), "E-" + id, ExporterSize.LARGE, "SEMICONDUCTORS", "US",
                "NORTH_AMERICA"));
    }
}
