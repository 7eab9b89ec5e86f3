package io.exportcounter.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record the simulator produces, at its simulated time.
 *
 * @param epochSecond   when it happens in the simulated year
 * @param kind          what it is
 * @param key           the record key: the declarationId, or the currency of a rate
 * @param value         the record value as sent (UTF-8 JSON, or garbage for {@link Kind#MALFORMED})
 * @param usdDeltaCents what it does to the running national total, the pipeline's way (ACCEPT +usd,
 *                      AMEND new-old, CANCEL -old; 0 for rates, redeliveries and malformed records)
 */
public record SimEvent(long epochSecond, Kind kind, String key, byte[] value, long usdDeltaCents) {

    public enum Kind {
        /** A weekly exchange rate, on the rates topic. */
        RATE,
        /** A newly accepted declaration (revision 0). */
        ACCEPT,
        /** A later revision replacing every field. */
        AMEND,
        /** A later revision withdrawing the declaration. */
        CANCEL,
        /** A declaration record sent again, byte for byte. */
        REDELIVERY,
        /** A record that breaks the contract: the pipeline must reject it and never count it. */
        MALFORMED;

        public boolean onRatesTopic() {
            return this == RATE;
        }
    }

    public Instant time() {
        return Instant.ofEpochSecond(epochSecond);
    }

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Events are equal when every field is, the value byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SimEvent e && e.epochSecond == epochSecond && e.kind == kind && e.key.equals(key)
                && Arrays.equals(e.value, value) && e.usdDeltaCents == usdDeltaCents;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epochSecond, kind, key, usdDeltaCents) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return time() + " " + kind + " " + key + " " + valueAsString();
    }
}
