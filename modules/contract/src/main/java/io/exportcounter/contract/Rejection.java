package io.exportcounter.contract;

import java.time.Instant;

/**
 * Why an input record was not counted (CONTRACT.md section 6). {@code value} holds the original record
 * when it is valid UTF-8, otherwise {@code valueBase64} does. {@code field} is null when the record as a
 * whole is unusable (not UTF-8, not JSON, not an object).
 */
public record Rejection(
        String reason,
        String field,
        String sourceTopic,
        int partition,
        long offset,
        String key,
        String value,
        String valueBase64,
        Instant rejectedAt) {
}
