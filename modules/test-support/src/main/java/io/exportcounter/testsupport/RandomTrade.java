package io.exportcounter.testsupport;

import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A reproducible random stream of declaration and rate events, and the totals they must produce,
 * computed the plain way: the final state of each declaration is its highest revision, converted with
 * the weekly rate in force. Independent of the pipeline's code on purpose.
 */
public final class RandomTrade {
    public static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final String[] CURRENCIES = {"USD", "EUR", "JPY", "KRW"};
    static final String[] SIZES = {"LARGE", "MIDSIZE", "SME", null};
    static final String[][] HS = {{"8542321010", "SEMICONDUCTORS"}, {"8703231010", "AUTOMOBILES"},
            {"2710121000", "PETROLEUM_PRODUCTS"}, {"8901901000", "SHIPS"}, {"3304991000", "COSMETICS"},
            {"9999999999", "OTHER"}};
    static final String[][] DEST = {{"US", "USA"}, {"CN", "CHINA"}, {"VN", "ASEAN"}, {"DE", "EU"},
            {"MX", "LATIN_AMERICA"}, {"JP", "JAPAN"}};

    public record Event(String key, String json) {
    }

    public final List<Event> rateEvents = new ArrayList<>();
    public final List<Event> declarationEvents = new ArrayList<>();
    /** Expected totals by topic key: cents, declarations, exporters (-1 when the dimension has none). */
    public final Map<String, long[]> expected = new TreeMap<>();

    /**
     * Whether {@code actual} (the latest value of each total read so far) holds every expected total
     * exactly: cents, declarations and exporters. Wait for this, not for one total: the totals of one
     * round spread over the topic's partitions, and stage 2 applies the latest declarations last.
     */
    public boolean allExact(Map<String, Total> actual) {
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Total t = actual.get(e.getKey());
            long[] x = e.getValue();
            if (t == null || Money.toCents(t.totalUsd()) != x[0] || t.declarations() != x[1]
                    || (x[2] >= 0 && (t.exporters() == null || t.exporters() != x[2]))) {
                return false;
            }
        }
        return true;
    }

    private final Map<String, TreeMap<Long, BigDecimal>> rates = new HashMap<>();

    public RandomTrade(long seed, int declarations) {
        Random rnd = new Random(seed);
        makeRates(rnd);
        Map<String, Decl> finalState = new HashMap<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < declarations; i++) {
            Decl d = randomDeclaration(rnd, "T-" + i);
            List<Event> own = new ArrayList<>();
            own.add(new Event(d.id, d.json()));
            Decl last = d;
            if (rnd.nextInt(100) < 5) {
                Decl amended = randomDeclaration(rnd, d.id).rev(1).action("AMEND");
                own.add(new Event(d.id, amended.json()));
                last = amended;
            }
            if (rnd.nextInt(100) < 2) {
                int rev = last.revision + 1;
                own.add(new Event(d.id, Decl.cancel(d.id, rev)));
                last = null;
            }
            if (rnd.nextInt(100) < 10) {
                own.add(own.get(rnd.nextInt(own.size())));
            }
            events.addAll(own);
            if (last != null) {
                finalState.put(d.id, last);
            }
        }
        // Partly shuffled: neighbours swap, so some revisions of one declaration arrive out of order.
        for (int i = 1; i < events.size(); i++) {
            if (rnd.nextInt(100) < 10) {
                Collections.swap(events, i - 1, i);
            }
        }
        declarationEvents.addAll(events);
        computeExpected(finalState);
    }

    private void makeRates(Random rnd) {
        ZonedDateTime week = LocalDate.of(2024, 12, 29).atStartOfDay(SEOUL);
        while (week.getYear() < 2026 || week.getMonthValue() < 3) {
            put("USD", week, new BigDecimal(1300 + rnd.nextInt(200) + "." + (10 + rnd.nextInt(90))));
            put("EUR", week, new BigDecimal(1400 + rnd.nextInt(200) + "." + (10 + rnd.nextInt(90))));
            put("JPY", week, new BigDecimal("9." + (1000 + rnd.nextInt(9000))));
            week = week.plusWeeks(1);
        }
    }

    private void put(String currency, ZonedDateTime validFrom, BigDecimal krw) {
        rates.computeIfAbsent(currency, c -> new TreeMap<>()).put(validFrom.toEpochSecond(), krw);
        rateEvents.add(new Event(currency, Decl.rate(currency, krw.toPlainString(), validFrom.toOffsetDateTime().toString())));
    }

    private Decl randomDeclaration(Random rnd, String id) {
        long start = LocalDate.of(2025, 1, 1).atStartOfDay(SEOUL).toEpochSecond();
        long end = LocalDate.of(2026, 2, 1).atStartOfDay(SEOUL).toEpochSecond();
        Instant at = Instant.ofEpochSecond(start + (long) (rnd.nextDouble() * (end - start)));
        String currency = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
        long units = 1 + (long) Math.pow(10, 2 + rnd.nextDouble() * 6);
        String fob = currency.equals("KRW") ? Long.toString(units * 1000) : units + "." + String.format("%02d", rnd.nextInt(100));
        String[] hs = HS[rnd.nextInt(HS.length)];
        String[] dest = DEST[rnd.nextInt(DEST.length)];
        Decl d = Decl.accept(id).at(at.atZone(rnd.nextBoolean() ? SEOUL : ZoneId.of("UTC")).toOffsetDateTime().toString())
                .exporter("E" + rnd.nextInt(3000), SIZES[rnd.nextInt(SIZES.length)])
                .hs(hs[0]).to(dest[0]).amount(currency, fob);
        return d;
    }

    public long centsOf(Decl d) {
        Instant at = java.time.OffsetDateTime.parse(d.acceptedAt).toInstant();
        BigDecimal fob = new BigDecimal(d.fob);
        if (d.currency.equals("USD")) {
            return fob.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        }
        BigDecimal krw = d.currency.equals("KRW") ? fob : fob.multiply(rateAt(d.currency, at));
        return krw.divide(rateAt("USD", at), 2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
    }

    private BigDecimal rateAt(String currency, Instant at) {
        return rates.get(currency).floorEntry(at.getEpochSecond()).getValue();
    }

    private void computeExpected(Map<String, Decl> finalState) {
        Map<String, Set<String>> exporters = new HashMap<>();
        for (Decl d : finalState.values()) {
            long cents = centsOf(d);
            ZonedDateTime local = java.time.OffsetDateTime.parse(d.acceptedAt).atZoneSameInstant(SEOUL);
            String size = d.exporterSize == null ? "UNKNOWN" : d.exporterSize;
            String category = categoryOf(d.hsCode);
            String region = regionOf(d.destination);
            for (String period : new String[] {Integer.toString(local.getYear()),
                    String.format("%d-%02d", local.getYear(), local.getMonthValue())}) {
                add(period + "|NATIONAL|KR", cents, true);
                add(period + "|CATEGORY|" + category, cents, false);
                add(period + "|DESTINATION|" + d.destination, cents, false);
                add(period + "|REGION|" + region, cents, false);
                add(period + "|EXPORTER_SIZE|" + size, cents, true);
                exporters.computeIfAbsent(period + "|NATIONAL|KR", k -> new HashSet<>()).add(d.exporterId);
                exporters.computeIfAbsent(period + "|EXPORTER_SIZE|" + size, k -> new HashSet<>()).add(d.exporterId);
            }
        }
        exporters.forEach((key, set) -> expected.get(key)[2] = set.size());
    }

    private void add(String key, long cents, boolean hasExporters) {
        long[] t = expected.computeIfAbsent(key, k -> new long[] {0, 0, hasExporters ? 0 : -1});
        t[0] += cents;
        t[1]++;
    }

    private static String categoryOf(String hs) {
        for (String[] h : HS) {
            if (h[0].equals(hs)) {
                return h[1];
            }
        }
        throw new IllegalArgumentException(hs);
    }

    private static String regionOf(String dest) {
        for (String[] d : DEST) {
            if (d[0].equals(dest)) {
                return d[1];
            }
        }
        throw new IllegalArgumentException(dest);
    }
}
