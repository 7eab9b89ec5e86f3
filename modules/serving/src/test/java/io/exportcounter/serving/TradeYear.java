package io.exportcounter.serving;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Test data: a year of USD export declarations calibrated to the published figures of DOMAIN.md: monthly
 * totals, item groups and destinations in their 2025 (or 2024) proportions, exporters of every size.
 * 2025 ends as it happened: Jan-Nov $640.2B, Dec 1-20 $43.0B, then the declaration accepted on
 * 2025-12-29 at 1:03:27 p.m. KST takes the total past $700B, and the year closes at $709.7B.
 */
final class TradeYear {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    record Declaration(String id, String json, long cents, ZonedDateTime acceptedAt) {
    }

    /** Item groups by a representative HS code, weighted by 2025 exports (USD billions). */
    private static final String[][] ITEMS = {
        {"8542321010", "173.4"}, {"8703239010", "72.0"}, {"8479899090", "50.0"}, {"2710192000", "45.5"},
        {"3901100000", "42.5"}, {"8901201000", "32.0"}, {"7208510000", "30.3"}, {"8708299000", "22.0"},
        {"8517130000", "17.0"}, {"9013801000", "17.0"}, {"3002150000", "17.0"}, {"8504401000", "15.0"},
        {"8471500000", "13.0"}, {"1902301010", "12.4"}, {"3304990000", "11.4"}, {"5407610000", "10.0"},
        {"8507600000", "8.0"}, {"8418109000", "8.0"}, {"9403600000", "93.2"}};
    /** Destinations weighted by share of 2025 exports (percent); China + US fell from 38.1% to 35.7%. */
    private static final String[][] DESTINATIONS_2025 = {
        {"CN", "18.5"}, {"US", "17.2"}, {"VN", "8.0"}, {"SG", "2.3"}, {"MY", "1.9"}, {"TH", "1.7"}, {"ID", "1.6"},
        {"PH", "1.8"}, {"HK", "4.6"}, {"TW", "4.9"}, {"JP", "4.0"}, {"IN", "2.7"}, {"DE", "2.6"}, {"NL", "1.6"},
        {"PL", "1.6"}, {"HU", "1.1"}, {"MX", "2.0"}, {"BR", "0.9"}, {"CL", "0.6"}, {"AU", "2.9"}, {"CA", "1.4"},
        {"GB", "1.0"}, {"TR", "1.1"}, {"AE", "1.0"}, {"SA", "0.9"}, {"RU", "0.8"}};
    private static final String[][] DESTINATIONS_2024 = {
        {"CN", "19.5"}, {"US", "18.6"}, {"VN", "7.8"}, {"SG", "2.2"}, {"MY", "1.8"}, {"TH", "1.6"}, {"ID", "1.5"},
        {"PH", "1.7"}, {"HK", "4.8"}, {"TW", "4.4"}, {"JP", "4.3"}, {"IN", "2.7"}, {"DE", "2.5"}, {"NL", "1.5"},
        {"PL", "1.5"}, {"HU", "1.1"}, {"MX", "1.8"}, {"BR", "0.8"}, {"CL", "0.5"}, {"AU", "2.8"}, {"CA", "1.3"},
        {"GB", "1.0"}, {"TR", "1.0"}, {"AE", "1.0"}, {"SA", "0.9"}, {"RU", "0.9"}};
    private static final String[][] SIZES = {{"LARGE", "20"}, {"MIDSIZE", "25"}, {"SME", "55"}};

    static final double[] MONTHS_2024 = {54.69, 52.41, 56.56, 56.26, 58.15, 57.07, 57.49, 57.90, 58.77, 57.52, 56.35, 61.38};
    static final double[] MONTHS_2025 = {49.12, 52.60, 58.28, 58.21, 57.27, 59.80, 60.82, 58.40, 65.95, 59.57, 61.04, 69.57};

    final List<Declaration> declarations = new ArrayList<>();
    private final int year;
    private final Random rnd;
    private final String[][] destinations;
    private int serial;

    private TradeYear(int year, long seed, String[][] destinations) {
        this.year = year;
        this.rnd = new Random(seed);
        this.destinations = destinations;
    }

    static TradeYear of2024(int perMonth) {
        TradeYear t = new TradeYear(2024, 2024, DESTINATIONS_2024);
        long[] months = scale(MONTHS_2024, 12, usd("683.8B"));
        for (int m = 1; m <= 12; m++) {
            t.spread(t.monthStart(m), t.monthStart(m + 1), months[m - 1], perMonth);
        }
        return t;
    }

    static TradeYear of2025(int perMonth) {
        TradeYear t = new TradeYear(2025, 2025, DESTINATIONS_2025);
        long[] months = scale(MONTHS_2025, 11, usd("640.2B"));
        for (int m = 1; m <= 11; m++) {
            t.spread(t.monthStart(m), t.monthStart(m + 1), months[m - 1], perMonth);
        }
        ZonedDateTime dec1 = t.monthStart(12);
        ZonedDateTime dec21 = dec1.plusDays(20);
        ZonedDateTime crossing = ZonedDateTime.of(2025, 12, 29, 13, 3, 27, 0, SEOUL);
        t.spread(dec1, dec21, usd("43.0B"), perMonth * 2 / 3);
        // $5M short of $700B just before the crossing declaration of $7.5M.
        t.spread(dec21, crossing.minusSeconds(1), usd("16.8B") - usd("5000000.00"), perMonth / 3);
        t.add(crossing, usd("7500000.00"));
        t.spread(crossing.plusSeconds(30), t.monthStart(13), usd("709.7B") - usd("700.0B") - usd("2500000.00"), perMonth / 6);
        return t;
    }

    /** The declarations accepted in {@code month} (1-12). */
    List<Declaration> month(int month) {
        return declarations.stream().filter(d -> d.acceptedAt().getMonthValue() == month).toList();
    }

    List<Declaration> months(int from, int to) {
        return declarations.stream().filter(d -> d.acceptedAt().getMonthValue() >= from && d.acceptedAt().getMonthValue() <= to)
                .toList();
    }

    static long sum(List<Declaration> ds) {
        return ds.stream().mapToLong(Declaration::cents).sum();
    }

    private ZonedDateTime monthStart(int month) {
        return month == 13 ? LocalDate.of(year + 1, 1, 1).atStartOfDay(SEOUL) : LocalDate.of(year, month, 1).atStartOfDay(SEOUL);
    }

    /** {@code n} declarations at increasing times in [from, to), values varying around the mean, summing to {@code cents}. */
    private void spread(ZonedDateTime from, ZonedDateTime to, long cents, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 0.4 + rnd.nextDouble() * 1.2;
            sum += w[i];
        }
        // Stratified draws give every period item groups and destinations in their proportions.
        List<String> items = stratified(ITEMS, n);
        List<String> dests = stratified(destinations, n);
        List<String> sizes = stratified(SIZES, n);
        long seconds = Duration.between(from, to).getSeconds();
        long left = cents;
        for (int i = 0; i < n; i++) {
            long c = i == n - 1 ? left : Math.max(1, Math.round(cents * (w[i] / sum)));
            c = Math.min(c, left - (n - 1 - i));
            left -= c;
            ZonedDateTime at = from.plusSeconds(seconds * i / n + rnd.nextInt((int) Math.max(1, seconds / n)));
            add(at, c, items.get(i), dests.get(i), sizes.get(i));
        }
    }

    private List<String> stratified(String[][] weighted, int n) {
        double total = 0;
        for (String[] w : weighted) {
            total += Double.parseDouble(w[1]);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = (i + rnd.nextDouble()) / n * total;
            double acc = 0;
            String pick = weighted[weighted.length - 1][0];
            for (String[] w : weighted) {
                acc += Double.parseDouble(w[1]);
                if (u < acc) {
                    pick = w[0];
                    break;
                }
            }
            out.add(pick);
        }
        Collections.shuffle(out, rnd);
        return out;
    }

    private void add(ZonedDateTime at, long cents) {
        add(at, cents, "8542321010", "US", "LARGE");
    }

    private void add(ZonedDateTime at, long cents, String hs, String destination, String size) {
        String id = "43210-" + (year % 100) + "-" + String.format("%07d", ++serial) + "X";
        int pool = size.equals("LARGE") ? 150 : size.equals("MIDSIZE") ? 600 : 3000;
        String exporter = String.format("%d%07d", size.equals("LARGE") ? 101 : size.equals("MIDSIZE") ? 202 : 303,
                rnd.nextInt(pool));
        String json = "{\"declarationId\":\"" + id + "\",\"revision\":0,\"action\":\"ACCEPT\",\"acceptedAt\":\""
                + at.toOffsetDateTime() + "\",\"exporterId\":\"" + exporter + "\",\"exporterSize\":\"" + size
                + "\",\"hsCode\":\"" + hs + "\",\"destination\":\"" + destination + "\",\"currency\":\"USD\",\"fobAmount\":\""
                + BigDecimal.valueOf(cents, 2).toPlainString() + "\"}";
        declarations.add(new Declaration(id, json, cents, at));
    }

    static long usd(String amount) {
        BigDecimal v = amount.endsWith("B") ? new BigDecimal(amount.substring(0, amount.length() - 1)).movePointRight(9)
                : new BigDecimal(amount);
        return v.movePointRight(2).longValueExact();
    }

    /** The first {@code n} monthly figures scaled to sum exactly to {@code total} cents. */
    private static long[] scale(double[] months, int n, long total) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += months[i];
        }
        long[] out = new long[n];
        long left = total;
        for (int i = 0; i < n; i++) {
            out[i] = i == n - 1 ? left : Math.round(total * (months[i] / sum));
            left -= out[i];
        }
        return out;
    }
}
