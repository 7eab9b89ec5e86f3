package io.exportcounter.notifier;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Test fixtures: milestone events as the pipeline writes them. */
final class Milestones {
    private Milestones() {
    }

    /** Korea's $700 billion, as of 1:03 p.m. on 2025-12-29. */
    static Milestone korea700B() {
        return threshold("2025", Dimension.NATIONAL, "KR", "700000000000.00", "700000001234.56",
                "2025-12-29T13:03:27+09:00", Instant.parse("2025-12-29T04:03:27.412Z"));
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
                OffsetDateTime.parse(acceptedAt), clock(acceptedAt), "43210-25-0999999K", detectedAt, true);
    }

    static Milestone monthlyRecord(String month, String previousRecord, String total, String crossedAt) {
        return new Milestone(month + "|NATIONAL|KR|RECORD", MilestoneKind.MONTHLY_RECORD, MilestoneType.CROSSED, month,
                Dimension.NATIONAL, "KR", new BigDecimal(previousRecord), new BigDecimal(total),
                OffsetDateTime.parse(crossedAt), clock(crossedAt), "43210-25-0777777Q",
                OffsetDateTime.parse(crossedAt).toInstant().plusMillis(412), true);
    }

    private static String clock(String isoTime) {
        return io.exportcounter.contract.ReportingTime.englishClock(OffsetDateTime.parse(isoTime).toLocalTime());
    }
}
