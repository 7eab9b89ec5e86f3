package io.exportcounter.notifier;

import java.time.Duration;

/**
 * The result of one delivery attempt on one channel.
 *
 * @param retryAfter how long the receiver asked us to wait (HTTP {@code Retry-After}), or null
 */
public record Attempt(Status status, String reason, Duration retryAfter) {

    public enum Status {
        DELIVERED,
        /** Worth another try: a timeout, a connection error, HTTP 5xx or 429, an SMTP 4xx reply. */
        RETRYABLE,
        /** Will fail again: HTTP 4xx other than 429, an SMTP 5xx reply, a rejected address. */
        PERMANENT
    }

    public static Attempt delivered(String detail) {
        return new Attempt(Status.DELIVERED, detail, null);
    }

    public static Attempt retryable(String reason) {
        return new Attempt(Status.RETRYABLE, reason, null);
    }

    public static Attempt retryable(String reason, Duration retryAfter) {
        return new Attempt(Status.RETRYABLE, reason, retryAfter);
    }

    public static Attempt permanent(String reason) {
        return new Attempt(Status.PERMANENT, reason, null);
    }

    public boolean delivered() {
        return status == Status.DELIVERED;
    }
}
