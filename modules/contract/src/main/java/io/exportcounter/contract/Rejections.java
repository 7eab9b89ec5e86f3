package io.exportcounter.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Builds the {@link Rejection} record for an input record that broke the contract (section 6). */
public final class Rejections {
    private Rejections() {
    }

    /**
     * @param key   the original key bytes, decoded as UTF-8 (malformed bytes become U+FFFD: the contract
     *              has no Base64 field for keys); null stays null
     * @param value the original value bytes: kept as text when they are valid UTF-8, else as Base64 in
     *              {@code valueBase64}; null leaves both null
     */
    public static Rejection of(InvalidRecordException e, String sourceTopic, int partition, long offset,
                               byte[] key, byte[] value, Instant rejectedAt) {
        // The reason is a predicate on the field, so "fobAmount must be a positive decimal" reads whole.
        String reason = e.field() == null ? e.reason() : e.field() + " " + e.reason();
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        String valueText = null;
        String valueBase64 = null;
        if (value != null) {
            if (Utf8.isValid(value)) {
                valueText = new String(value, StandardCharsets.UTF_8);
            } else {
                valueBase64 = Base64.getEncoder().encodeToString(value);
            }
        }
        return new Rejection(reason, e.field(), sourceTopic, partition, offset, keyText, valueText, valueBase64,
                rejectedAt);
    }
}
