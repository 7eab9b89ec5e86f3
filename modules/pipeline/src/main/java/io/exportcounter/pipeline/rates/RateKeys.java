package io.exportcounter.pipeline.rates;

import java.time.Instant;

/**
 * Keys of the rates-by-week topic and store: {@code CUR|validFromEpochSecond}, the seconds zero-padded
 * so that the byte order of keys is the time order within a currency.
 */
public final class RateKeys {
    private RateKeys() {
    }

    public static String key(String currency, Instant validFrom) {
        return currency + "|" + String.format("%012d", validFrom.getEpochSecond());
    }

    public static String currencyOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }
}
