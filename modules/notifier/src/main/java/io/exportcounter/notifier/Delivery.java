package io.exportcounter.notifier;

import io.exportcounter.contract.Milestone;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One notice to deliver on every channel, once each: a milestone event ({@link MilestoneDelivery}) or a forecast's
 * heads-up ({@link HeadsUpDelivery}). Channels, retries, delivery records and dead letters handle both alike; what
 * differs (the body's fields, the CloudEvent type, the alert) is asked of the delivery.
 *
 * <p>The occurrence key names what is notified, the same on every retry, after a restart and on another notifier
 * instance: it is the webhook's {@code Idempotency-Key} and, with the channel, the key of the delivery record.
 */
public sealed interface Delivery permits MilestoneDelivery, HeadsUpDelivery {

    /** The delivery of milestone {@code m}, with {@code notice} written for it. */
    static MilestoneDelivery of(Milestone m, Notice notice) {
        return MilestoneDelivery.of(m, notice);
    }

    String occurrenceKey();

    Notice notice();

    /** The milestone the notice is about: the one that happened, or the one a heads-up anticipates. */
    String milestoneId();

    /** {@code CROSSED}, {@code RETRACTED} or {@code APPROACHING}. */
    String type();

    /** When what is notified happened: the milestone's {@code detectedAt}, the forecast's {@code asOf}. */
    Instant happenedAt();

    /** From when the delivery delay is measured: when the pipeline detected the milestone or made the forecast. */
    Instant madeAt();

    /** Key of the delivery record of this occurrence on {@code channel}. */
    default String ledgerKey(String channel) {
        return occurrenceKey() + "|" + channel;
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
