package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.contract.ReportingTime;
import io.exportcounter.pipeline.history.HistoryPeriod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    /** The end of each quarter asked about: fixed, found once. */
    private final Map<Integer, Instant> quarterEnds = new HashMap<>();
    /** The totals with a year-to-date record kind. */
    private final List<Total> totals;

    /** A total with a year-to-date record kind, and its record-kind flags. */
    private record Total(Dimension dimension, String member, int flags) {
    }

    YearToDateRecords(MilestoneRules rules, ZoneId zone, OnRecord onRecord, MilestoneDetector detector) {
        this.zone = zone;
        this.onRecord = onRecord;
        this.counted = onRecord.counted();
        this.detector = detector;
        this.totals = rules.allRecords().entrySet().stream()
                .filter(e -> (e.getValue() & (MilestoneRules.YTD_VALUE | MilestoneRules.YTD_EXPORTERS)) != 0)
                .map(e -> {
                    String[] dimMember = e.getKey().split("\\|", 2);
                    return new Total(Dimension.valueOf(dimMember[0]), dimMember[1], e.getValue());
                }).toList();
    }

    void check(long nowMs) {
        Instant latest = counted.latestCounted();
        if (latest == null) {
            return;
        }
        int year = latest.atZone(zone).getYear();
        for (Total total : totals) {
            for (int y = year - 1; y <= year; y++) {
                for (int q = 1; q <= 4; q++) {
                    Instant closes = quarterEnd(y, q);
                    Long value = latest.isBefore(closes) ? null : onRecord.countedYearToDate(total.dimension(), total.member(), y, q);
                    if (value == null) {
                        continue;
                    }
                    if ((total.flags() & MilestoneRules.YTD_VALUE) != 0) {
                        judge(RecordMeasure.VALUE, total, y, q, value, closes, nowMs);
                    }
                    if ((total.flags() & MilestoneRules.YTD_EXPORTERS) != 0) {
                        judge(RecordMeasure.EXPORTERS, total, y, q, value, closes, nowMs);
                    }
                }
            }
        }
    }

    /** @param value the counted year-to-date value through {@code quarter} of {@code year} */
    private void judge(RecordMeasure measure, Total total, int year, int quarter, long value, Instant closes, long nowMs) {
        Dimension dimension = total.dimension();
        String member = total.member();
        long current = measure == RecordMeasure.VALUE ? value : counted.exportersYearToDate(year, quarter, dimension, member);
        // The best of the same months of the unbroken run of earlier years on record.
        TreeMap<Integer, Long> figures = new TreeMap<>();
        for (int y : onRecord.yearsBefore(dimension, member, year)) {
            Long figure = measure == RecordMeasure.VALUE ? onRecord.valueYearToDate(dimension, member, y, quarter)
                    : exportersOnRecord(dimension, member, y, quarter);
            if (figure != null) {
                figures.put(y, figure);
            }
        }
        OnRecord.Best best = OnRecord.best(OnRecord.unbroken(figures), y -> HistoryPeriod.ofQuarter(y, quarter).toString());
        if (best == null) {
            return;
        }
        String id = MilestoneDetector.yearToDateId(HistoryPeriod.ofQuarter(year, quarter).toString(), dimension, member, measure);
        boolean passes = current > best.value();
        MilestoneType type = passes ? MilestoneType.CROSSED : MilestoneType.RETRACTED;
        if (!detector.canFire(id, type)) {
            return;
        }
        Milestone.Story story;
        if (passes) {
            story = new Milestone.Story(null, null, null, null, best.period(), best.since(), null, measure,
                    measure == RecordMeasure.EXPORTERS ? current : null,
                    measure == RecordMeasure.EXPORTERS ? best.value() : null);
        } else {
            Milestone.Story crossed = detector.latestOf(id).story();
            story = new Milestone.Story(null, null, null, null, crossed.recordPeriod(), crossed.since(), null, measure,
                    measure == RecordMeasure.EXPORTERS ? current : null, crossed.previousBestExporters());
        }
        long thresholdCents;
        if (measure == RecordMeasure.VALUE) {
            thresholdCents = best.value();
        } else {
            // The value of the year that held the exporters' record, when on record.
            Long v = onRecord.valueYearToDate(dimension, member, Integer.parseInt(story.recordPeriod().substring(0, 4)), quarter);
            thresholdCents = v == null ? 0 : v;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(closes, zone);
        detector.emit(new Milestone(id, MilestoneKind.YEAR_TO_DATE_RECORD, type,
                HistoryPeriod.ofQuarter(year, quarter).toString(), dimension, member, Money.fromCents(thresholdCents),
                Money.fromCents(value), at, ReportingTime.englishClock(at.toLocalTime()), null, Instant.ofEpochMilli(nowMs),
                true, story));
    }

    private Long exportersOnRecord(Dimension dimension, String member, int year, int quarter) {
        if (onRecord.countedYearToDate(dimension, member, year, quarter) != null) {
            return counted.exportersYearToDate(year, quarter, dimension, member);
        }
        return onRecord.publishedExportersYearToDate(dimension, member, year, quarter);
    }

    /** The instant quarter {@code quarter} of {@code year} ends: the next quarter's first midnight in the zone. */
    private Instant quarterEnd(int year, int quarter) {
        return quarterEnds.computeIfAbsent(year * 10 + quarter,
                k -> ZonedDateTime.of(year, 1, 1, 0, 0, 0, 0, zone).plusMonths(3L * quarter).toInstant());
    }
}
