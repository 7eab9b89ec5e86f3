package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.contract.ReportingTime;
import io.exportcounter.pipeline.changes.ChangeEntry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Detects milestones as stage 2 applies change entries one by one (CONTRACT.md section 5).
 *
 * <p>A threshold or record is CROSSED by the entry after which the total first passes it, and RETRACTED by the
 * entry after which it is back below; a later re-crossing is a new CROSSED. Thresholds come from config; records
 * are thresholds whose values come from the figures on record ({@link OnRecord}): the best earlier full year
 * (ANNUAL_RECORD), the best same month of earlier years (CALENDAR_MONTH_RECORD), the best earlier month of all
 * (MONTHLY_RECORD). Year-to-date records are judged once a quarter has closed, after each round
 * ({@link YearToDateRecords}). The latest event of each milestone is kept in a changelogged store, written in
 * the same transaction as the output, so no event is emitted twice, across crashes and restarts too.
 */
public final class MilestoneDetector {
    public static final String MILESTONES_STORE = "milestones";

    private final ContractJson json = ContractJson.instance();
    private final MilestoneRules rules;
    private final ZoneId zone;
    private final KeyValueStore<String, byte[]> store;
    private final Consumer<Milestone> emit;
    private final OnRecord onRecord;
    private final YearToDateRecords yearToDate;
    /** The latest event of each milestone asked about, read from the store once. */
    private final Map<String, Milestone> latest = new HashMap<>();
    /**
     * The record a watched total must pass, by the total's working copy (identity: no key per entry). An entry
     * is dropped when a period before its own moves, since the record before it may have moved too.
     */
    private final Map<Object, Record> annualRecords = new IdentityHashMap<>();
    private final Map<Object, Record> calendarMonthRecords = new IdentityHashMap<>();
    private final Map<Object, Record> monthlyRecords = new IdentityHashMap<>();
    /** The latest year and month moved: a move of an earlier period may change the records of later ones. */
    private String latestYearMoved = "";
    private String latestMonthMoved = "";

    /** What the rules say of each watched total, by its working copy: asked once, not per entry. */
    private final Map<Object, TotalRules> totalRules = new IdentityHashMap<>();

    /** A total's thresholds (null: none), record-kind flags, and its period's year and month (0 for a year). */
    private record TotalRules(long[] thresholds, int flags, int year, int month) {
    }

    private TotalRules rulesOf(Object total, String period, Dimension dimension, String member) {
        TotalRules r = totalRules.get(total);
        if (r == null) {
            r = new TotalRules(rules.thresholds(dimension, member), rules.records(dimension, member),
                    Integer.parseInt(period.substring(0, 4)), period.length() == 7 ? Integer.parseInt(period.substring(5, 7)) : 0);
            totalRules.put(total, r);
        }
        return r;
    }

    /** A record to pass: the kind, the period of the total, and what it is judged against (null: none on record). */
    private record Record(MilestoneKind kind, String period, Dimension dimension, String member, OnRecord.Best best) {
    }

    public MilestoneDetector(MilestoneRules rules, ZoneId zone, KeyValueStore<String, byte[]> store,
            CountedTotals counted, Consumer<Milestone> emit) {
        this.rules = rules;
        this.zone = zone;
        this.store = store;
        this.emit = emit;
        this.onRecord = new OnRecord(rules.history(), counted);
        this.yearToDate = new YearToDateRecords(rules, zone, onRecord, this);
    }

    /**
     * A total of a year ({@code 2025}) or a month ({@code 2025-06}) moved from {@code before} to {@code after} cents
     * because of entry {@code e}: its thresholds and records are checked.
     *
     * @param total the total's working copy: the same object for the same total between calls
     */
    public void totalMoved(Object total, String period, Dimension dimension, String member, long before, long after,
            ChangeEntry e, long nowMs) {
        if (before == after) {
            return;
        }
        TotalRules tr = rulesOf(total, period, dimension, member);
        if (tr.month() == 0) {
            latestYearMoved = moved(period, latestYearMoved, dimension, member, annualRecords, null);
            if (tr.thresholds() != null) {
                thresholds(tr.thresholds(), period, dimension, member, before, after, e, nowMs);
            }
            if ((tr.flags() & MilestoneRules.ANNUAL) != 0) {
                passes(record(annualRecords, total, MilestoneKind.ANNUAL_RECORD, period, dimension, member, tr), before, after, e, nowMs);
            }
            return;
        }
        latestMonthMoved = moved(period, latestMonthMoved, dimension, member, calendarMonthRecords, monthlyRecords);
        if ((tr.flags() & MilestoneRules.CALENDAR_MONTH) != 0) {
            passes(record(calendarMonthRecords, total, MilestoneKind.CALENDAR_MONTH_RECORD, period, dimension, member, tr),
                    before, after, e, nowMs);
        }
        if ((tr.flags() & MilestoneRules.MONTHLY) != 0) {
            passes(record(monthlyRecords, total, MilestoneKind.MONTHLY_RECORD, period, dimension, member, tr), before, after, e, nowMs);
        }
    }

    /** The record of {@code kind} a total must pass, judged against the figures on record once, then remembered. */
    private Record record(Map<Object, Record> records, Object total, MilestoneKind kind, String period, Dimension dimension,
            String member, TotalRules tr) {
        Record r = records.get(total);
        if (r == null) {
            OnRecord.Best best = switch (kind) {
                case ANNUAL_RECORD -> onRecord.annualBefore(dimension, member, tr.year());
                case CALENDAR_MONTH_RECORD -> onRecord.calendarMonthBefore(dimension, member, tr.year(), tr.month());
                default -> onRecord.monthBefore(dimension, member, tr.year(), tr.month());
            };
            r = new Record(kind, period, dimension, member, best);
            records.put(total, r);
        }
        return r;
    }

    /** After each round: year-to-date records of quarters that have closed. */
    public void roundApplied(long nowMs) {
        yearToDate.check(nowMs);
    }

    /**
     * A total of {@code period} moved: returns the latest period moved so far. Records are judged against earlier
     * periods, so when one before the latest moves, the records of later periods of that total are forgotten.
     */
    private static String moved(String period, String latest, Dimension dimension, String member,
            Map<Object, Record> records, Map<Object, Record> moreRecords) {
        if (period.compareTo(latest) >= 0) {
            return period;
        }
        forgetRecordsAfter(records, period, dimension, member);
        if (moreRecords != null) {
            forgetRecordsAfter(moreRecords, period, dimension, member);
        }
        return latest;
    }

    /** Records are judged against earlier periods: those of periods after one that moved may have changed. */
    private static void forgetRecordsAfter(Map<Object, Record> records, String period, Dimension dimension, String member) {
        records.values().removeIf(r -> r.dimension() == dimension && r.member().equals(member) && r.period().compareTo(period) > 0);
    }

    private void thresholds(long[] thresholds, String year, Dimension dimension, String member, long before, long after,
            ChangeEntry e, long nowMs) {
        if (after > before) {
            for (int i = 0; i < thresholds.length; i++) {
                long t = thresholds[i];
                if (before < t && t <= after) {
                    String id = year + "|" + dimension.name() + "|" + member + "|" + t / 100;
                    if (canFire(id, MilestoneType.CROSSED)) {
                        fire(id, MilestoneKind.THRESHOLD, MilestoneType.CROSSED, year, dimension, member, t, after, e,
                                nowMs, thresholdStory(thresholds, i, year, dimension, member, after));
                    }
                }
            }
        } else {
            for (int i = thresholds.length - 1; i >= 0; i--) {
                long t = thresholds[i];
                if (after < t && t <= before) {
                    String id = year + "|" + dimension.name() + "|" + member + "|" + t / 100;
                    if (canFire(id, MilestoneType.RETRACTED)) {
                        fire(id, MilestoneKind.THRESHOLD, MilestoneType.RETRACTED, year, dimension, member, t, after, e,
                                nowMs, latest.get(id).story());
                    }
                }
            }
        }
    }

    /** A threshold in its history: first time or not, and when the next lower one was first reached. */
    private Milestone.Story thresholdStory(long[] thresholds, int i, String year, Dimension dimension, String member,
            long after) {
        int y = Integer.parseInt(year);
        Integer since = onRecord.since(dimension, member, y);
        Integer first = onRecord.firstReached(dimension, member, thresholds[i], y);
        Boolean firstTime = since == null ? null : first == null;
        if (i == 0) {
            return Milestone.Story.threshold(firstTime, str(first), null, null).withSince(str(since));
        }
        long previous = thresholds[i - 1];
        Integer previousFirst = onRecord.firstReached(dimension, member, previous, y);
        if (previousFirst == null && after >= previous) {
            previousFirst = y;
        }
        return Milestone.Story.threshold(firstTime, str(first), Money.fromCents(previous), str(previousFirst))
                .withSince(str(since));
    }

    /** Fires a record's CROSSED when the total passes it, its RETRACTED when the total falls back to it or below. */
    private void passes(Record r, long before, long after, ChangeEntry e, long nowMs) {
        OnRecord.Best best = r.best();
        if (best == null) {
            return;
        }
        long record = best.value();
        boolean crosses = before <= record && record < after;
        if (!crosses && !(after <= record && record < before)) {
            return;
        }
        String id = r.period() + "|" + r.dimension().name() + "|" + r.member() + "|"
                + (r.kind() == MilestoneKind.MONTHLY_RECORD ? "RECORD" : r.kind().name());
        if (crosses && canFire(id, MilestoneType.CROSSED)) {
            Milestone.Story story = Milestone.Story.record(best.period(), best.since());
            if (r.kind() == MilestoneKind.CALENDAR_MONTH_RECORD) {
                story = story.withStreak(streak(r));
            }
            fire(id, r.kind(), MilestoneType.CROSSED, r.period(), r.dimension(), r.member(), record, after, e, nowMs, story);
        } else if (!crosses && canFire(id, MilestoneType.RETRACTED)) {
            fire(id, r.kind(), MilestoneType.RETRACTED, r.period(), r.dimension(), r.member(), record, after, e, nowMs,
                    latest.get(id).story());
        }
    }

    /** This month and the consecutive calendar-month records right before it. */
    private int streak(Record r) {
        int year = Integer.parseInt(r.period().substring(0, 4));
        int month = Integer.parseInt(r.period().substring(5, 7));
        int streak = 1;
        for (int i = 1; i < 240; i++) {
            month--;
            if (month == 0) {
                month = 12;
                year--;
            }
            if (!onRecord.isCalendarMonthRecord(r.dimension(), r.member(), year, month)) {
                break;
            }
            streak++;
        }
        return streak;
    }

    /** CROSSED only from "never" or RETRACTED; RETRACTED only from CROSSED. */
    boolean canFire(String id, MilestoneType type) {
        Milestone last = latestOf(id);
        MilestoneType lastType = last == null ? null : last.type();
        return type == MilestoneType.CROSSED ? lastType != MilestoneType.CROSSED : lastType == MilestoneType.CROSSED;
    }

    /** The latest event of a milestone, or null when it never fired. */
    Milestone latestOf(String id) {
        if (latest.containsKey(id)) {
            return latest.get(id);
        }
        byte[] stored = store.get(id);
        Milestone m;
        try {
            m = stored == null ? null : json.parseMilestone(stored);
        } catch (InvalidRecordException ex) {
            throw new IllegalStateException("milestones store holds an unreadable milestone " + id, ex);
        }
        latest.put(id, m);
        return m;
    }

    private void fire(String id, MilestoneKind kind, MilestoneType type, String period, Dimension dimension, String member,
            long thresholdCents, long totalCents, ChangeEntry e, long nowMs, Milestone.Story story) {
        Instant at = e.latest().acceptedAt();
        OffsetDateTime local = OffsetDateTime.ofInstant(at, zone);
        emit(new Milestone(id, kind, type, period, dimension, member, Money.fromCents(thresholdCents),
                Money.fromCents(totalCents), local, ReportingTime.englishClock(local.toLocalTime()), e.declarationId(),
                Instant.ofEpochMilli(nowMs), true, story));
    }

    /** Stores a milestone event as the latest of its id, then emits it. */
    void emit(Milestone m) {
        store.put(m.milestoneId(), json.write(m));
        latest.put(m.milestoneId(), m);
        emit.accept(m);
    }

    /** The year-to-date measure's milestone id. */
    static String yearToDateId(String quarter, Dimension dimension, String member, RecordMeasure measure) {
        return quarter + "|" + dimension.name() + "|" + member + "|YEAR_TO_DATE_RECORD|" + measure.name();
    }

    private static String str(Integer year) {
        return year == null ? null : year.toString();
    }
}
