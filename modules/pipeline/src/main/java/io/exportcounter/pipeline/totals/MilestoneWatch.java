package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Where stage 2 hands entries to the milestone rules: the totals milestones watch (an annual total with thresholds
 * or an annual record, a monthly total with a calendar-month or monthly record) are noted as an entry first
 * touches them, and once the entry is applied each is checked on its net move. A total is asked about once
 * ({@link TotalState#watched}), so the others cost nothing more.
 */
final class MilestoneWatch {
    /** A watched total as it was before the entry being applied touched it. */
    private record Watched(String period, Dimension dimension, String member, TotalState state, long before) {
    }

    private final MilestoneRules rules;
    private final List<Watched> watched = new ArrayList<>();
    private MilestoneDetector detector;

    MilestoneWatch(MilestoneRules rules) {
        this.rules = rules;
    }

    void open(MilestoneDetector milestoneDetector) {
        this.detector = milestoneDetector;
        watched.clear();
    }

    /** Before an entry is applied. */
    void entryStarts() {
        watched.clear();
    }

    /** Remembers a total's value before the current entry first touches it, when milestones watch it. */
    void touch(String period, boolean annual, Dimension dimension, String member, TotalState state) {
        if (state.watched == TotalState.UNKNOWN) {
            int records = rules.records(dimension, member);
            state.watched = (byte) (annual
                    ? (rules.thresholds(dimension, member) != null || (records & MilestoneRules.ANNUAL) != 0 ? 1 : 0)
                    : ((records & (MilestoneRules.CALENDAR_MONTH | MilestoneRules.MONTHLY)) != 0 ? 1 : 0));
        }
        if (state.watched == 0) {
            return;
        }
        for (Watched w : watched) {
            if (w.state() == state) {
                return;
            }
        }
        watched.add(new Watched(period, dimension, member, state, state.cents()));
    }

    /** After an entry is applied: each watched total it moved, on its net move. */
    void entryApplied(ChangeEntry e, long nowMs) {
        for (Watched w : watched) {
            detector.totalMoved(w.state(), w.period(), w.dimension(), w.member(), w.before(), w.state().cents(), e, nowMs);
        }
    }

    /** After a round is written back. */
    void roundApplied(long nowMs) {
        detector.roundApplied(nowMs);
    }
}
