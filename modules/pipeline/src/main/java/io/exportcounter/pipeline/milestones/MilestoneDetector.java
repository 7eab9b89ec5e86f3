package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.ReportingTime;
import io.exportcounter.pipeline.changes.ChangeEntry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Detects milestones as stage 2 applies change entries one by one (CONTRACT.md section 5).
 *
 * <p>A threshold is CROSSED by the entry after which the total first reaches it, and RETRACTED by the
 * entry after which it is below it again; a later re-crossing is a new CROSSED. A month sets a
 * MONTHLY_RECORD when its national total passes the highest earlier month on record (history, with the
 * pipeline's own total for any month it counted). The latest event of each milestone is kept in a
 * changelogged store, written in the same transaction as the output, so no event is emitted twice,
 * across crashes and restarts too.
 */
public final class MilestoneDetector {
    public static final String MILESTONES_STORE = "milestones";

    private final ContractJson json = ContractJson.instance();
    private final MilestoneRules rules;
    private final String country;
    private final ZoneId zone;
    private final KeyValueStore<String, byte[]> store;
    private final Consumer<Milestone> emit;
    /** Monthly national totals the pipeline has counted, in cents. */
    private final NavigableMap<YearMonth, Long> countedMonths = new TreeMap<>();
    /** {@link #recordBefore} of months asked for; a month's entry goes when an earlier month's total moves. */
    private final NavigableMap<YearMonth, Long> recordsBefore = new TreeMap<>();
    /** The last month asked about, parsed: stage 2 asks about the same month for many entries in a row. */
    private String lastMonth;
    private YearMonth lastMonthParsed;

    public MilestoneDetector(MilestoneRules rules, String country, ZoneId zone, KeyValueStore<String, byte[]> store,
            Consumer<Milestone> emit) {
        this.rules = rules;
        this.country = country;
        this.zone = zone;
        this.store = store;
        this.emit = emit;
    }

    /** Called once at start with every monthly national total already counted. */
    public void knownMonth(YearMonth month, long cents) {
        countedMonths.put(month, cents);
        recordsBefore.clear();
    }

    /** An annual total moved from {@code before} to {@code after} cents because of entry {@code e}. */
    public void annualTotalMoved(String year, Dimension dimension, String member, long before, long after,
            ChangeEntry e, long nowMs) {
        long[] thresholds = rules.thresholds(dimension, member);
        if (thresholds == null || before == after) {
            return;
        }
        if (after > before) {
            for (long t : thresholds) {
                if (before < t && t <= after) {
                    fire(MilestoneKind.THRESHOLD, MilestoneType.CROSSED, year, dimension, member, t, after, e, nowMs);
                }
            }
        } else {
            for (int i = thresholds.length - 1; i >= 0; i--) {
                long t = thresholds[i];
                if (after < t && t <= before) {
                    fire(MilestoneKind.THRESHOLD, MilestoneType.RETRACTED, year, dimension, member, t, after, e, nowMs);
                }
            }
        }
    }

    /** The national total of {@code month} moved from {@code before} to {@code after} cents. */
    public void monthlyNationalMoved(String month, long before, long after, ChangeEntry e, long nowMs) {
        if (!month.equals(lastMonth)) {
            lastMonth = month;
            lastMonthParsed = YearMonth.parse(month);
        }
        YearMonth ym = lastMonthParsed;
        Long previous = countedMonths.put(ym, after);
        if (previous == null || previous != after) {
            // The records before every later month may have changed.
            recordsBefore.tailMap(ym, false).clear();
        }
        if (!rules.monthlyRecords() || before == after) {
            return;
        }
        long record = recordBefore(ym);
        if (record <= 0) {
            return;
        }
        if (before <= record && record < after) {
            fire(MilestoneKind.MONTHLY_RECORD, MilestoneType.CROSSED, month, Dimension.NATIONAL, country, record, after, e, nowMs);
        } else if (after <= record && record < before) {
            fire(MilestoneKind.MONTHLY_RECORD, MilestoneType.RETRACTED, month, Dimension.NATIONAL, country, record, after, e, nowMs);
        }
    }

    /** The highest monthly national total of any month before {@code month}; 0 when none is known. */
    long recordBefore(YearMonth month) {
        Long known = recordsBefore.get(month);
        if (known != null) {
            return known;
        }
        long max = computeRecordBefore(month);
        recordsBefore.put(month, max);
        return max;
    }

    private long computeRecordBefore(YearMonth month) {
        long max = 0;
        for (Map.Entry<YearMonth, Long> h : rules.history().headMap(month, false).entrySet()) {
            if (!countedMonths.containsKey(h.getKey())) {
                max = Math.max(max, h.getValue());
            }
        }
        for (long counted : countedMonths.headMap(month, false).values()) {
            max = Math.max(max, counted);
        }
        return max;
    }

    private void fire(MilestoneKind kind, MilestoneType type, String period, Dimension dimension, String member,
            long thresholdCents, long totalCents, ChangeEntry e, long nowMs) {
        String id = kind == MilestoneKind.MONTHLY_RECORD
                ? period + "|" + dimension.name() + "|" + member + "|RECORD"
                : period + "|" + dimension.name() + "|" + member + "|" + thresholdCents / 100;
        MilestoneType last = lastType(id);
        // CROSSED only from "never" or RETRACTED; RETRACTED only from CROSSED.
        if (type == MilestoneType.CROSSED ? last == MilestoneType.CROSSED : last != MilestoneType.CROSSED) {
            return;
        }
        Instant at = e.latest().acceptedAt();
        OffsetDateTime local = OffsetDateTime.ofInstant(at, zone);
        Milestone m = new Milestone(id, kind, type, period, dimension, member, Money.fromCents(thresholdCents),
                Money.fromCents(totalCents), local, ReportingTime.englishClock(local.toLocalTime()), e.declarationId(),
                Instant.ofEpochMilli(nowMs), true);
        store.put(id, json.write(m));
        emit.accept(m);
    }

    private MilestoneType lastType(String id) {
        byte[] last = store.get(id);
        if (last == null) {
            return null;
        }
        try {
            return json.parseMilestone(last).type();
        } catch (InvalidRecordException ex) {
            throw new IllegalStateException("milestones store holds an unreadable milestone " + id, ex);
        }
    }
}
