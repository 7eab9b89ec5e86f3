package io.exportcounter.notifier;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.RecordMeasure;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/** Test fixtures: milestone events as the pipeline writes them. */
final class Milestones {
    private Milestones() {
    }

    /** Korea's $700 billion, as of 1:03 p.m. on 2025-12-29. */
    static Milestone korea700B() {
        return threshold("2025", Dimension.NATIONAL, "KR", "700000000000.00", "700000001234.56",
                "2025-12-29T13:03:27+09:00", Instant.parse("2025-12-29T04:03:27.412Z"));
    }

    /**
     * The labels of the Alertmanager alert of {@link #korea700B()} at severity info: the same when it fires and when its
     * retraction resolves it, since Alertmanager tells alerts apart by their labels.
     */
    static Map<String, String> korea700BAlertLabels() {
        return Map.of(
                "alertname", "ExportMilestone",
                "milestone_id", "2025|NATIONAL|KR|700000000000",
                "kind", "THRESHOLD",
                "period", "2025",
                "dimension", "NATIONAL",
                "member", "KR",
                "severity", "info");
    }

    /** The same, detected now: for tests whose notifier skips milestones older than notices.max-age. */
    static Milestone korea700BDetectedNow() {
        Milestone m = korea700B();
        return new Milestone(m.milestoneId(), m.kind(), m.type(), m.period(), m.dimension(), m.member(), m.thresholdUsd(),
                m.totalUsd(), m.crossedAt(), m.crossedAtLocalTime(), m.declarationId(), Instant.now(), true);
    }

    static Milestone threshold(String year, Dimension d, String member, String threshold, String total, String crossedAt,
            Instant detectedAt) {
        long whole = new BigDecimal(threshold).longValue();
        return new Milestone(year + "|" + d.name() + "|" + member + "|" + whole, MilestoneKind.THRESHOLD,
                MilestoneType.CROSSED, year, d, member, new BigDecimal(threshold), new BigDecimal(total),
                OffsetDateTime.parse(crossedAt), clock(crossedAt), "43210-25-0123456X", detectedAt, true);
    }

    static Milestone retracted(Milestone crossed, String total, String acceptedAt, Instant detectedAt) {
        return new Milestone(crossed.milestoneId(), crossed.kind(), MilestoneType.RETRACTED, crossed.period(),
                crossed.dimension(), crossed.member(), crossed.thresholdUsd(), new BigDecimal(total),
                OffsetDateTime.parse(acceptedAt), clock(acceptedAt), "43210-25-0999999K", detectedAt, true,
                crossed.story());
    }

    static Milestone monthlyRecord(String month, String previousRecord, String total, String crossedAt) {
        return new Milestone(month + "|NATIONAL|KR|RECORD", MilestoneKind.MONTHLY_RECORD, MilestoneType.CROSSED, month,
                Dimension.NATIONAL, "KR", new BigDecimal(previousRecord), new BigDecimal(total),
                OffsetDateTime.parse(crossedAt), clock(crossedAt), "43210-25-0777777Q",
                OffsetDateTime.parse(crossedAt).toInstant().plusMillis(412), true);
    }

    /** Korea's $700 billion with its story: the first time, seven years after $600 billion in 2018. */
    static Milestone korea700BFirstTime() {
        return korea700B().withStory(Milestone.Story.threshold(true, null, new BigDecimal("600000000000.00"), "2018"));
    }

    /** A v2 milestone (ANNUAL_RECORD, CALENDAR_MONTH_RECORD, MONTHLY_RECORD) crossed at {@code crossedAt}. */
    static Milestone record(MilestoneKind kind, String period, String previousRecord, String total, String crossedAt,
            Milestone.Story story) {
        String suffix = switch (kind) {
            case MONTHLY_RECORD -> "RECORD";
            default -> kind.name();
        };
        return new Milestone(period + "|NATIONAL|KR|" + suffix, kind, MilestoneType.CROSSED, period,
                Dimension.NATIONAL, "KR", new BigDecimal(previousRecord), new BigDecimal(total),
                OffsetDateTime.parse(crossedAt), clock(crossedAt), "43210-25-0777777Q",
                OffsetDateTime.parse(crossedAt).toInstant().plusMillis(412), true, story);
    }

    static Milestone.Story story(String recordPeriod, String since, Integer streak) {
        return new Milestone.Story(null, null, null, null, recordPeriod, since, streak, null, null, null);
    }

    /**
     * A year-to-date record of SMEs at the close of {@code quarter} ("2025-Q3"): crossedAt is the start of the
     * next quarter, no declaration; with {@code exporters} (and the best before), a record of the number of exporters.
     */
    static Milestone ytdRecord(String quarter, String previousRecord, String total, String recordPeriod, String since,
            Long exporters, Long previousBestExporters) {
        int year = Integer.parseInt(quarter.substring(0, 4));
        int q = quarter.charAt(6) - '0';
        OffsetDateTime next = OffsetDateTime.parse(String.format("%04d-%02d-01T00:00:00+09:00",
                q == 4 ? year + 1 : year, q == 4 ? 1 : q * 3 + 1));
        RecordMeasure measure = exporters == null ? RecordMeasure.VALUE : RecordMeasure.EXPORTERS;
        return new Milestone(quarter + "|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|" + measure.name(),
                MilestoneKind.YEAR_TO_DATE_RECORD, MilestoneType.CROSSED, quarter, Dimension.EXPORTER_SIZE, "SME",
                new BigDecimal(previousRecord), new BigDecimal(total), next, "12:00 a.m.", null,
                next.toInstant().plusSeconds(95), true,
                new Milestone.Story(null, null, null, null, recordPeriod, since, null, measure, exporters,
                        previousBestExporters));
    }

    private static String clock(String isoTime) {
        return io.exportcounter.contract.ReportingTime.englishClock(OffsetDateTime.parse(isoTime).toLocalTime());
    }
}
