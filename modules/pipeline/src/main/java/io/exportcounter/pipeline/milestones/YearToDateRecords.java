package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.contract.ReportingTime;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * YEAR_TO_DATE_RECORD (CONTRACT.md section 5): once stage 2 has counted a declaration accepted after a quarter's
 * end, the year-to-date value or distinct exporters of each configured total through that quarter is compared
 * with the same months of every earlier year on record. Checked after every round, so corrections counted later
 * retract it (and a later rise re-crosses it) like any record.
 *
 * <p>Only a year the pipeline counted from January on is judged: a year it joined midway has no year-to-date
 * figure of its own.
 */
final class YearToDateRecords {
    private final ZoneId zone;
    /** The figures on record, and through it what stage 2 has counted. */
    private final OnRecord onRecord;
    private final CountedTotals counted;
    private final MilestoneDetector detector;
    /** The published years of each total ({@code DIMENSION|MEMBER}), and the end of each quarter: fixed, found once. */
    private final Map<String, TreeSet<Integer>> historyYears = new HashMap<>();
    private final Map<Integer, Instant> quarterEnds = new HashMap<>();
    /** The totals with a year-to-date record kind, and their flags. */
    private final List<Map.Entry<String, Integer>> totals;

    YearToDateRecords(MilestoneRules rules, ZoneId zone, OnRecord onRecord, MilestoneDetector detector) {
        this.zone = zone;
        this.onRecord = onRecord;
        this.counted = onRecord.counted();
        this.detector = detector;
        this.totals = rules.allRecords().entrySet().stream()
                .filter(e -> (e.getValue() & (MilestoneRules.YTD_VALUE | MilestoneRules.YTD_EXPORTERS)) != 0)
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    void check(long nowMs) {
        Instant latest = counted.latestCounted();
        if (latest == null) {
            return;
        }
        int year = latest.atZone(zone).getYear();
        for (Map.Entry<String, Integer> total : totals) {
            int flags = total.getValue();
            String[] dimMember = total.getKey().split("\\|", 2);
            Dimension dimension = Dimension.valueOf(dimMember[0]);
            for (int y = year - 1; y <= year; y++) {
                for (int q = 1; q <= 4; q++) {
                    Instant closes = quarterEnd(y, q);
                    if (latest.isBefore(closes) || countedValue(dimension, dimMember[1], y, q) == null) {
                        continue;
                    }
                    if ((flags & MilestoneRules.YTD_VALUE) != 0) {
                        judge(RecordMeasure.VALUE, dimension, dimMember[1], y, q, closes, nowMs);
                    }
                    if ((flags & MilestoneRules.YTD_EXPORTERS) != 0) {
                        judge(RecordMeasure.EXPORTERS, dimension, dimMember[1], y, q, closes, nowMs);
                    }
                }
            }
        }
    }

    private void judge(RecordMeasure measure, Dimension dimension, String member, int year, int quarter, Instant closes,
            long nowMs) {
        long value = countedValue(dimension, member, year, quarter);
        long current = measure == RecordMeasure.VALUE ? value : counted.exportersYearToDate(year, quarter, dimension, member);
        // The best of the same months of the unbroken run of earlier years on record.
        TreeMap<Integer, Long> figures = new TreeMap<>();
        for (int y : earlierYears(dimension, member, year)) {
            Long figure = measure == RecordMeasure.VALUE ? onRecord.valueYearToDate(dimension, member, y, quarter)
                    : exportersOnRecord(dimension, member, y, quarter);
            if (figure != null) {
                figures.put(y, figure);
            }
        }
        NavigableMap<Integer, Long> run = OnRecord.unbroken(figures);
        Integer bestYear = null;
        long best = 0;
        Integer since = run.isEmpty() ? null : run.firstKey();
        for (Map.Entry<Integer, Long> f : run.entrySet()) {
            if (bestYear == null || f.getValue() >= best) {
                bestYear = f.getKey();
                best = f.getValue();
            }
        }
        if (bestYear == null) {
            return;
        }
        String id = MilestoneDetector.yearToDateId(HistoryPeriod.ofQuarter(year, quarter).toString(), dimension, member, measure);
        boolean passes = current > best;
        MilestoneType type = passes ? MilestoneType.CROSSED : MilestoneType.RETRACTED;
        if (!detector.canFire(id, type)) {
            return;
        }
        Milestone.Story story;
        long thresholdCents;
        if (passes) {
            story = new Milestone.Story(null, null, null, null, HistoryPeriod.ofQuarter(bestYear, quarter).toString(),
                    since.toString(), null, measure,
                    measure == RecordMeasure.EXPORTERS ? current : null, measure == RecordMeasure.EXPORTERS ? best : null);
        } else {
            Milestone crossed = detector.latestOf(id);
            story = crossed.story();
            story = new Milestone.Story(null, null, null, null, story.recordPeriod(), story.since(), null, measure,
                    measure == RecordMeasure.EXPORTERS ? current : null, story.previousBestExporters());
        }
        if (measure == RecordMeasure.VALUE) {
            thresholdCents = best;
        } else {
            // The value of the year that held the exporters' record, when on record.
            Long v = onRecord.valueYearToDate(dimension, member,
                    Integer.parseInt(story.recordPeriod().substring(0, 4)), quarter);
            thresholdCents = v == null ? 0 : v;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(closes, zone);
        detector.emit(new Milestone(id, MilestoneKind.YEAR_TO_DATE_RECORD, type,
                HistoryPeriod.ofQuarter(year, quarter).toString(), dimension, member, Money.fromCents(thresholdCents),
                Money.fromCents(value), at, ReportingTime.englishClock(at.toLocalTime()), null, Instant.ofEpochMilli(nowMs),
                true, story));
    }

    /** The counted year-to-date value, when the pipeline counted every month of it; null otherwise. */
    private Long countedValue(Dimension dimension, String member, int year, int quarter) {
        long sum = 0;
        for (int m = 1; m <= quarter * 3; m++) {
            Long c = counted.cents(HistoryPeriod.monthKey(year, m), dimension, member);
            if (c == null) {
                return null;
            }
            sum += c;
        }
        return sum;
    }

    private Long exportersOnRecord(Dimension dimension, String member, int year, int quarter) {
        if (countedValue(dimension, member, year, quarter) != null) {
            return counted.exportersYearToDate(year, quarter, dimension, member);
        }
        return onRecord.publishedExportersYearToDate(dimension, member, year, quarter);
    }

    /** Years before {@code year} with any figure of the total on record, oldest first. */
    private TreeSet<Integer> earlierYears(Dimension dimension, String member, int year) {
        TreeSet<Integer> years = new TreeSet<>(historyYears.computeIfAbsent(dimension.name() + "|" + member, k -> {
            TreeSet<Integer> published = new TreeSet<>();
            History.Series s = onRecord.history().of(dimension, member);
            s.yearsToDate().keySet().forEach(p -> published.add(p.year()));
            s.months().keySet().forEach(p -> published.add(p.year()));
            return published;
        }).headSet(year));
        for (String y : counted.countedYears()) {
            int counted = Integer.parseInt(y);
            if (counted < year) {
                years.add(counted);
            }
        }
        return years;
    }

    /** The instant quarter {@code quarter} of {@code year} ends: the next quarter's first midnight in the zone. */
    private Instant quarterEnd(int year, int quarter) {
        return quarterEnds.computeIfAbsent(year * 10 + quarter,
                k -> ZonedDateTime.of(year, 1, 1, 0, 0, 0, 0, zone).plusMonths(3L * quarter).toInstant());
    }
}
