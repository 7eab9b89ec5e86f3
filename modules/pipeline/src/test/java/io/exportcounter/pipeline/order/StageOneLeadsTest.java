package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When a stream thread's stage-1 tasks are all far ahead of a task on another thread, the thread waits for it. */
class StageOneLeadsTest {
    private static final long HOUR = 3_600_000;
    private static final long NOW = 1_000_000;

    private final StageOneLeads leads = new StageOneLeads();

    @Test
    void a_thread_whose_tasks_are_all_ahead_of_the_slowest_on_another_thread_is_ahead_by_its_own_slowest() throws Exception {
        // Given tasks 0 and 1 on thread A at 10 h and 12 h, and task 2 on thread B at 7 h of acceptance time
        StageOneLeads.Slot a0 = join("A", 0);
        StageOneLeads.Slot a1 = join("A", 1);
        StageOneLeads.Slot b2 = join("B", 2);
        StageOneLeads.report(a0, 10 * HOUR, false, NOW);
        StageOneLeads.report(a1, 12 * HOUR, false, NOW);
        StageOneLeads.report(b2, 7 * HOUR, false, NOW);

        // Then thread A is 3 h ahead (its slowest task against B's), and B, with the slowest task, is not ahead
        assertThat(leads.lead(a1, NOW)).isEqualTo(3 * HOUR);
        assertThat(leads.lead(a0, NOW)).isEqualTo(3 * HOUR);
        assertThat(leads.lead(b2, NOW)).isZero();

        // When a task of A falls behind B's, A is no longer ahead: pausing would hold that task up too
        StageOneLeads.Slot a3 = join("A", 3);
        StageOneLeads.report(a3, 5 * HOUR, false, NOW);
        assertThat(leads.lead(a1, NOW)).isZero();
    }

    @Test
    void idle_stale_closed_and_unstarted_tasks_hold_nobody() throws Exception {
        StageOneLeads.Slot a = join("A", 0);
        StageOneLeads.Slot b = join("B", 1);
        StageOneLeads.report(a, 10 * HOUR, false, NOW);
        // B has not read yet
        assertThat(leads.lead(a, NOW)).isZero();
        StageOneLeads.report(b, 7 * HOUR, false, NOW);
        assertThat(leads.lead(a, NOW)).isEqualTo(3 * HOUR);
        // B idle (caught up with its partition)
        StageOneLeads.report(b, 7 * HOUR, true, NOW);
        assertThat(leads.lead(a, NOW)).isZero();
        // B reading again, but silent for longer than the stale time
        StageOneLeads.report(b, 7 * HOUR, false, NOW);
        assertThat(leads.lead(a, NOW + StageOneLeads.STALE_AFTER_MS + 1)).isZero();
        // B closed
        leads.leave(b);
        assertThat(leads.lead(a, NOW)).isZero();
    }

    @Test
    void a_thread_ahead_pauses_at_most_a_few_milliseconds_per_record_and_not_at_all_within_the_lead() throws Exception {
        StageOneLeads.Slot a = join("A", 0);
        StageOneLeads.Slot b = join("B", 1);
        StageOneLeads.report(b, 0, false, NOW);

        // Exactly the allowed lead: no pause
        StageOneLeads.report(a, StageOneLeads.MAX_LEAD.toMillis(), false, NOW);
        assertThat(on("A", () -> leads.pauseWhileAhead(a, NOW))).isZero();

        // A millisecond more: the longest pause for one record, and no longer
        StageOneLeads.report(a, StageOneLeads.MAX_LEAD.toMillis() + 1, false, NOW);
        assertThat(on("A", () -> leads.pauseWhileAhead(a, NOW))).isEqualTo(StageOneLeads.MAX_PAUSE_PER_RECORD_MS);

        // On B's own thread there is nothing to wait for
        assertThat(on("B", () -> leads.pauseWhileAhead(b, NOW))).isZero();
    }

    /** Task {@code task} joining on the stream thread named {@code thread}. */
    private StageOneLeads.Slot join(String thread, int task) throws Exception {
        return on(thread, () -> leads.join(task, NOW));
    }

    /** Runs {@code action} on a thread named {@code thread}, as a stream thread would. */
    private static <T> T on(String thread, java.util.concurrent.Callable<T> action) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(action.call());
            } catch (Exception e) {
                failure.set(e);
            }
        }, thread);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
