package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A milestone event (CONTRACT.md section 5). */
public record Milestone(
        String milestoneId,
        MilestoneKind kind,
        MilestoneType type,
        String period,
        Dimension dimension,
        String member,
        BigDecimal thresholdUsd,
        BigDecimal totalUsd,
        OffsetDateTime crossedAt,
        String crossedAtLocalTime,
        String declarationId,
        Instant detectedAt,
        boolean provisional) {
}
