package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One milestone occurrence to notify: the milestone, its contract JSON, its notice and its occurrence key.
 *
 * <p>The occurrence key ({@code 2025|NATIONAL|KR|700000000000|CROSSED|2025-12-29T04:03:27.412Z|3f9a0c1b})
 * names one event on the milestones topic: the milestone id, the type, when the pipeline detected it,
 * and the first 8 hex digits of the SHA-256 of its contract JSON. It is derived from the event alone,
 * so it is the same on every retry, after a restart and on another notifier instance, while a new
 * occurrence of the same milestone (a re-crossing after a retraction) gets a new one: it is detected
 * later, and even within one pipeline batch (same {@code detectedAt}) it names another declaration or
 * total. (Two events identical in every field would share it; that takes a declaration amended away
 * and back to the same values within one pipeline flush, 100 ms.)
 */
public record MilestoneDelivery(String occurrenceKey, Milestone milestone, byte[] milestoneJson, Notice notice)
        implements Delivery {

    /** The delivery of {@code m}, with {@code notice} written for it. */
    public static MilestoneDelivery of(Milestone m, Notice notice) {
        byte[] json = ContractJson.instance().write(m);
        return new MilestoneDelivery(occurrenceKey(m, json), m, json, notice);
    }

    static String occurrenceKey(Milestone m, byte[] canonicalJson) {
        return m.milestoneId() + "|" + m.type().name() + "|" + ContractJson.formatUtcMillis(m.detectedAt()) + "|"
                + Delivery.sha256Hex(canonicalJson).substring(0, 8);
    }

    @Override
    public String milestoneId() {
        return milestone.milestoneId();
    }

    @Override
    public String type() {
        return milestone.type().name();
    }

    @Override
    public Instant happenedAt() {
        return milestone.detectedAt();
    }

    @Override
    public Instant madeAt() {
        return milestone.detectedAt();
    }

    public String milestoneJsonText() {
        return new String(milestoneJson, StandardCharsets.UTF_8);
    }

    /** For logs: what happened, not the whole notice. */
    @Override
    public String toString() {
        return occurrenceKey;
    }
}
