package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One milestone occurrence to notify: the milestone, its contract JSON, its notice and its
 * occurrence key.
 *
 * <p>The occurrence key ({@code 2025|NATIONAL|KR|700000000000|CROSSED|2025-12-29T04:03:27.412Z|3f9a0c1b})
 * names one event on the milestones topic: the milestone id, the type, when the pipeline detected it,
 * and the first 8 hex digits of the SHA-256 of its contract JSON. It is derived from the event alone,
 * so it is the same on every retry, after a restart and on another notifier instance, while a new
 * occurrence of the same milestone (a re-crossing after a retraction) gets a new one: it is detected
 * later, and even within one pipeline batch (same {@code detectedAt}) it names another declaration or
 * total. It is the webhook's {@code Idempotency-Key} and, with the channel, the key of the delivery
 * record. (Two events identical in every field would share it; that takes a declaration amended away
 * and back to the same values within one pipeline flush, 100 ms.)
 */
public record Delivery(String occurrenceKey, Milestone milestone, byte[] milestoneJson, Notice notice) {

    /** The delivery of {@code m}, with {@code notice} written for it. */
    public static Delivery of(Milestone m, Notice notice) {
        byte[] json = ContractJson.instance().write(m);
        return new Delivery(occurrenceKey(m, json), m, json, notice);
    }

    static String occurrenceKey(Milestone m, byte[] canonicalJson) {
        return m.milestoneId() + "|" + m.type().name() + "|" + ContractJson.formatUtcMillis(m.detectedAt()) + "|"
                + sha256Hex(canonicalJson).substring(0, 8);
    }

    /** Key of the delivery record of this occurrence on {@code channel}. */
    public String ledgerKey(String channel) {
        return occurrenceKey + "|" + channel;
    }

    public String milestoneJsonText() {
        return new String(milestoneJson, StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** For logs: what happened, not the whole notice. */
    @Override
    public String toString() {
        return occurrenceKey;
    }
}
