package io.exportcounter.pipeline.rates;

import io.exportcounter.contract.ExchangeRate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Converts declared amounts to USD with the customs rates in force (CONTRACT.md section 3).
 *
 * <p>A rate is in force from its {@code validFrom} until the next {@code validFrom} of the same currency,
 * and for at most {@code validity}. So a declaration in a week whose rate has not arrived gets no rate at
 * all, never last week's: with weekly rates the previous one has expired by then.
 *
 * <p>Reads the global rates store through a per-task copy indexed by time, rebuilt only when the store's
 * version moves (a rate arrived), so the per-declaration lookup is a map probe and not a store scan.
 */
public final class RateBook {
    public static final String USD = "USD";
    public static final String KRW = "KRW";

    private final ReadOnlyKeyValueStore<String, ExchangeRate> store;
    private final RateVersions versions;
    private final long validitySeconds;

    private long cachedVersion = Long.MIN_VALUE;
    /** KRW per unit by currency, then by validFrom (epoch seconds). */
    private Map<String, NavigableMap<Long, BigDecimal>> byCurrency = Map.of();

    public RateBook(ReadOnlyKeyValueStore<String, ExchangeRate> store, RateVersions versions, Duration validity) {
        this.store = store;
        this.versions = versions;
        this.validitySeconds = validity.getSeconds();
    }

    /** A conversion: the USD cents, or the currency whose rate in force is not known yet. */
    public record Conversion(long cents, String missingRate) {
        public boolean known() {
            return missingRate == null;
        }
    }

    /**
     * The amount in USD cents, rounded half-even once, or the currency whose rate is missing. USD needs
     * no rate; KRW needs the USD rate; any other currency needs its own and the USD rate.
     */
    public Conversion toUsd(String currency, BigDecimal amount, Instant at) {
        if (USD.equals(currency)) {
            return new Conversion(toCents(amount.setScale(2, RoundingMode.HALF_EVEN)), null);
        }
        refreshIfStale();
        BigDecimal krw;
        if (KRW.equals(currency)) {
            krw = amount;
        } else {
            BigDecimal krwPerUnit = krwPerUnit(currency, at);
            if (krwPerUnit == null) {
                return new Conversion(0, currency);
            }
            krw = amount.multiply(krwPerUnit);
        }
        BigDecimal krwPerUsd = krwPerUnit(USD, at);
        if (krwPerUsd == null) {
            return new Conversion(0, USD);
        }
        // divide() to scale 2 with HALF_EVEN rounds the exact quotient once.
        return new Conversion(toCents(krw.divide(krwPerUsd, 2, RoundingMode.HALF_EVEN)), null);
    }

    /** Moves when a rate of {@code currency} arrives or is replaced. */
    public long version(String currency) {
        return versions.of(currency);
    }

    private BigDecimal krwPerUnit(String currency, Instant at) {
        NavigableMap<Long, BigDecimal> rates = byCurrency.get(currency);
        if (rates == null) {
            return null;
        }
        Map.Entry<Long, BigDecimal> e = rates.floorEntry(at.getEpochSecond());
        if (e == null) {
            return null;
        }
        // Half-open validity [validFrom, validFrom + validity): a rate a week old has expired.
        if (at.getEpochSecond() - e.getKey() >= validitySeconds) {
            return null;
        }
        return e.getValue();
    }

    private void refreshIfStale() {
        long v = versions.overall();
        if (v == cachedVersion) {
            return;
        }
        Map<String, NavigableMap<Long, BigDecimal>> fresh = new HashMap<>();
        try (KeyValueIterator<String, ExchangeRate> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, ExchangeRate> kv = it.next();
                ExchangeRate r = kv.value;
                fresh.computeIfAbsent(r.currency(), c -> new TreeMap<>()).put(r.validFrom().toEpochSecond(), r.krwPerUnit());
            }
        }
        byCurrency = fresh;
        cachedVersion = v;
    }

    private static long toCents(BigDecimal usd) {
        return usd.movePointRight(2).longValueExact();
    }
}
