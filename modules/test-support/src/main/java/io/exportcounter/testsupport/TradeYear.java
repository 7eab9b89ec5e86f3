package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A year of USD export declarations calibrated to the published monthly totals of DOMAIN.md, in acceptance
 * order, reproducible (the random draws are seeded with the year). 2025 ends as it happened: Jan-Nov $640.2B,
 * Dec 1-20 $43.0B, then $16.8B more until the declaration accepted on 2025-12-29 at 1:03:27 p.m. KST takes the
 * total past $700B, and the year closes at $709.7B. 2024 totals $683.8B, so it reaches no $700B.
 *
 * <p>The {@link Mix} says what the declarations are of: one exporter's chips to the US, or item groups,
 * destinations and exporters of every size in their published proportions.
 */
public final class TradeYear {
    public static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** Published monthly exports in USD billions. */
    public static final double[] MONTHS_2024 = {54.69, 52.41, 56.56, 56.26, 58.15, 57.07, 57.49, 57.90, 58.77, 57.52, 56.35, 61.38};
    public static final double[] MONTHS_2025 = {49.12, 52.60, 58.28, 58.21, 57.27, 59.80, 60.82, 58.40, 65.95, 59.57, 61.04, 69.57};

    /** What the declarations of a year are of, and how their values vary. */
    public enum Mix {
        /**
         * Every declaration is {@link Decl}'s default: one SME exporting chips to the US. Values are heavy-tailed,
         * a few declarations carrying much of a period.
         */
        ONE_EXPORTER,
        /**
         * Item groups, destinations and exporter sizes in their published proportions (stratified, so every
         * period has them), from a few thousand exporters. Values vary from 0.4 to 1.6 times the mean.
         */
        MARKET
    }

    /** One declaration with its value in cents and its acceptance time. */
    public record Declared(Decl decl, long cents, ZonedDateTime acceptedAt) {
        public String id() {
            return decl.id;
        }

        public String json() {
            return decl.json();
        }
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

    /** What one declaration is of: an HS code, a destination and the exporter's size. */
    private record Kind(String hsCode, String destination, String exporterSize) {
    }

    /** {@link Decl}'s default declaration: an SME's chips to the US. */
    private static final Kind DEFAULT_KIND = new Kind(new Decl().hsCode, new Decl().destination, new Decl().exporterSize);

    public final List<Declared> declarations = new ArrayList<>();
    private final int year;
    private final Mix mix;
    private final Random rnd;
    private final String[][] destinations;
    private int serial;

    private TradeYear(int year, Mix mix, String[][] destinations) {
        this.year = year;
        this.mix = mix;
        this.rnd = new Random(year);
        this.destinations = destinations;
    }

    /** 2024: $683.8B in the year, so no $700B. */
    public static TradeYear of2024(int perMonth, Mix mix) {
        TradeYear t = new TradeYear(2024, mix, DESTINATIONS_2024);
        long[] months = scale(MONTHS_2024, 12, usd("683.8B"));
        for (int m = 1; m <= 12; m++) {
            t.spread(t.monthStart(m), t.monthStart(m + 1), months[m - 1], perMonth);
        }
        return t;
    }

    /** 2025: the crossing of $700B by a declaration of $7.5M accepted 2025-12-29 13:03:27 KST. */
    public static TradeYear of2025(int perMonth, Mix mix) {
        TradeYear t = new TradeYear(2025, mix, DESTINATIONS_2025);
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
        t.add(crossing, usd("7500000.00"), mix == Mix.MARKET ? new Kind("8542321010", "US", "LARGE") : DEFAULT_KIND);
        t.spread(crossing.plusSeconds(30), t.monthStart(13), usd("709.7B") - usd("700.0B") - usd("2500000.00"), perMonth / 6);
        return t;
    }

    /** The declarations accepted in {@code month} (1-12). */
    public List<Declared> month(int month) {
        return months(month, month);
    }

    /** The declarations accepted in the months {@code from} to {@code to} (1-12, both included). */
    public List<Declared> months(int from, int to) {
        return declarations.stream().filter(d -> d.acceptedAt().getMonthValue() >= from && d.acceptedAt().getMonthValue() <= to)
                .toList();
    }

    /** The declaration after which the running total (in this order) first reaches {@code cents}. */
    public Declared firstReaching(long cents) {
        long total = 0;
        for (Declared d : declarations) {
            total += d.cents();
            if (total >= cents) {
                return d;
            }
        }
        return null;
    }

    public static long sum(List<Declared> ds) {
        return ds.stream().mapToLong(Declared::cents).sum();
    }

    /** Cents of an amount in USD, {@code "709.7B"} for billions. */
    public static long usd(String amount) {
        BigDecimal v = amount.endsWith("B") ? new BigDecimal(amount.substring(0, amount.length() - 1)).movePointRight(9)
                : new BigDecimal(amount);
        return v.movePointRight(2).longValueExact();
    }

    /** Sends every declaration, keyed by its id, to {@code topic}. */
    public void sendTo(String bootstrap, String topic) {
        try (KafkaProducer<String, String> producer = KafkaTopics.producer(bootstrap)) {
            send(producer, topic, declarations);
        }
    }

    /** Sends {@code ds}, each keyed by its id, to {@code topic} and flushes. */
    public static void send(KafkaProducer<String, String> producer, String topic, List<Declared> ds) {
        for (Declared d : ds) {
            producer.send(new ProducerRecord<>(topic, d.id(), d.json()));
        }
        producer.flush();
    }

    /**
     * Checks that each of the 7 national thresholds of 2025 ($100B to $700B) was crossed once, by the declaration
     * that reached it in acceptance order.
     */
    public void assertNationalThresholdsCrossedInOrder(List<Milestone> milestones) {
        List<Milestone> national = milestones.stream()
                .filter(m -> m.kind() == MilestoneKind.THRESHOLD && m.milestoneId().startsWith(year + "|NATIONAL|KR|")).toList();
        assertThat(national).allMatch(m -> m.type() == MilestoneType.CROSSED);
        assertThat(national).hasSize(7);
        for (Milestone m : national) {
            Declared expected = firstReaching(usd(m.thresholdUsd().toPlainString()));
            assertThat(m.declarationId()).as("declaration that crossed %s", m.thresholdUsd()).isEqualTo(expected.id());
        }
    }

    private ZonedDateTime monthStart(int month) {
        return month == 13 ? LocalDate.of(year + 1, 1, 1).atStartOfDay(SEOUL) : LocalDate.of(year, month, 1).atStartOfDay(SEOUL);
    }

    /** {@code n} declarations at increasing times in [from, to) with values (per the mix) summing to {@code cents}. */
    private void spread(ZonedDateTime from, ZonedDateTime to, long cents, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = mix == Mix.MARKET ? 0.4 + rnd.nextDouble() * 1.2 : Math.pow(rnd.nextDouble() + 1e-3, -1.2);
            sum += w[i];
        }
        List<Kind> kinds = kinds(n);
        long seconds = Duration.between(from, to).getSeconds();
        long left = cents;
        for (int i = 0; i < n; i++) {
            long c = i == n - 1 ? left : Math.max(1, Math.round(cents * (w[i] / sum)));
            c = Math.min(c, left - (n - 1 - i));
            left -= c;
            add(from.plusSeconds(seconds * i / n + rnd.nextInt((int) Math.max(1, seconds / n))), c, kinds.get(i));
        }
    }

    /** What {@code n} declarations of a period are of. */
    private List<Kind> kinds(int n) {
        if (mix == Mix.ONE_EXPORTER) {
            return Collections.nCopies(n, DEFAULT_KIND);
        }
        // Stratified draws give every period item groups, destinations and sizes in their proportions.
        List<String> items = stratified(ITEMS, n);
        List<String> dests = stratified(destinations, n);
        List<String> sizes = stratified(SIZES, n);
        List<Kind> kinds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            kinds.add(new Kind(items.get(i), dests.get(i), sizes.get(i)));
        }
        return kinds;
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

    private void add(ZonedDateTime at, long cents, Kind kind) {
        String id = "43210-" + (year % 100) + "-" + String.format("%07d", ++serial) + "X";
        Decl d = Decl.accept(id).at(at.toOffsetDateTime().toString()).hs(kind.hsCode()).to(kind.destination())
                .amount("USD", BigDecimal.valueOf(cents, 2).toPlainString());
        if (mix == Mix.MARKET) {
            d.exporter(exporterOfSize(kind.exporterSize()), kind.exporterSize());
        }
        declarations.add(new Declared(d, cents, at));
    }

    /** One of 150 large, 600 midsize or 3000 small exporters. */
    private String exporterOfSize(String size) {
        int pool = size.equals("LARGE") ? 150 : size.equals("MIDSIZE") ? 600 : 3000;
        return String.format("%d%07d", size.equals("LARGE") ? 101 : size.equals("MIDSIZE") ? 202 : 303, rnd.nextInt(pool));
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
