package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.testsupport.Decl;
import io.exportcounter.testsupport.KafkaTopics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A year of USD declarations calibrated to published monthly totals (DOMAIN.md), in acceptance order.
 * For 2025 the December is shaped as it happened: Jan-Nov $640.2B, Dec 1-20 $43.0B, then $16.8B more
 * until the declaration accepted on Dec 29 at 1:03:27 p.m. KST takes the total past $700B.
 */
final class YearReplay {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    record Declared(Decl decl, long cents) {
    }

    final List<Declared> declarations = new ArrayList<>();
    private final Random rnd;
    private int serial;
    private final int year;

    private YearReplay(int year, long seed) {
        this.year = year;
        this.rnd = new Random(seed);
    }

    static final double[] MONTHS_2024 = {54.69, 52.41, 56.56, 56.26, 58.15, 57.07, 57.49, 57.90, 58.77, 57.52, 56.35, 61.38};
    static final double[] MONTHS_2025 = {49.12, 52.60, 58.28, 58.21, 57.27, 59.80, 60.82, 58.40, 65.95, 59.57, 61.04, 69.57};

    /** 2025: the crossing of $700B by a declaration accepted 2025-12-29 13:03:27 KST. */
    static YearReplay of2025(int perMonth) {
        YearReplay r = new YearReplay(2025, 2025);
        long janToNov = usd("640.2B");
        long[] months = scale(MONTHS_2025, 11, janToNov);
        for (int m = 1; m <= 11; m++) {
            r.spread(r.monthStart(m), r.monthStart(m + 1), months[m - 1], perMonth);
        }
        ZonedDateTime dec1 = r.monthStart(12);
        ZonedDateTime dec21 = dec1.plusDays(20);
        ZonedDateTime crossing = ZonedDateTime.of(2025, 12, 29, 13, 3, 27, 0, SEOUL);
        r.spread(dec1, dec21, usd("43.0B"), perMonth * 2 / 3);
        long crossingCents = usd("7500000.00");
        // Leave the total 5M short of $700B just before the crossing declaration.
        r.spread(dec21, crossing.minusSeconds(1), usd("16.8B") - usd("5000000.00"), perMonth / 3);
        r.add(crossing, crossingCents);
        long rest = usd("709.7B") - usd("700.0B") - usd("2500000.00");
        r.spread(crossing.plusSeconds(30), r.monthStart(13), rest, perMonth / 6);
        return r;
    }

    /** 2024: $683.8B in the year, so no $700B. */
    static YearReplay of2024(int perMonth) {
        YearReplay r = new YearReplay(2024, 2024);
        long[] months = scale(MONTHS_2024, 12, usd("683.8B"));
        for (int m = 1; m <= 12; m++) {
            r.spread(r.monthStart(m), r.monthStart(m + 1), months[m - 1], perMonth);
        }
        return r;
    }

    private ZonedDateTime monthStart(int month) {
        return month == 13 ? LocalDate.of(year + 1, 1, 1).atStartOfDay(SEOUL) : LocalDate.of(year, month, 1).atStartOfDay(SEOUL);
    }

    /** {@code n} declarations at increasing times in [from, to) with heavy-tailed values summing to {@code cents}. */
    private void spread(ZonedDateTime from, ZonedDateTime to, long cents, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.pow(rnd.nextDouble() + 1e-3, -1.2);
            sum += w[i];
        }
        long seconds = Duration.between(from, to).getSeconds();
        long left = cents;
        for (int i = 0; i < n; i++) {
            long c = i == n - 1 ? left : Math.max(1, Math.round(cents * (w[i] / sum)));
            c = Math.min(c, left - (n - 1 - i));
            left -= c;
            add(from.plusSeconds(seconds * i / n + rnd.nextInt((int) Math.max(1, seconds / n))), c);
        }
    }

    private void add(ZonedDateTime at, long cents) {
        String id = "43210-" + (year % 100) + "-" + String.format("%07d", ++serial);
        Decl d = Decl.accept(id).at(at.toOffsetDateTime().toString())
                .amount("USD", BigDecimal.valueOf(cents, 2).toPlainString());
        declarations.add(new Declared(d, cents));
    }

    static long usd(String amount) {
        BigDecimal v;
        if (amount.endsWith("B")) {
            v = new BigDecimal(amount.substring(0, amount.length() - 1)).movePointRight(9);
        } else {
            v = new BigDecimal(amount);
        }
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

    /** The declaration after which the running total (in this order) first reaches {@code cents}. */
    Declared firstReaching(long cents) {
        long total = 0;
        for (Declared d : declarations) {
            total += d.cents();
            if (total >= cents) {
                return d;
            }
        }
        return null;
    }

    long total() {
        return declarations.stream().mapToLong(Declared::cents).sum();
    }

    /** Sends every declaration, keyed by its id, to {@code topic}. */
    void sendTo(String bootstrap, String topic) {
        try (KafkaProducer<String, String> producer = KafkaTopics.producer(bootstrap)) {
            for (Declared d : declarations) {
                producer.send(new ProducerRecord<>(topic, d.decl().id, d.decl().json()));
            }
            producer.flush();
        }
    }

    /**
     * Checks that each of the 7 national thresholds of 2025 ($100B to $700B) was crossed once, by the declaration
     * that reached it in acceptance order.
     */
    void assertNationalThresholdsCrossedInOrder(List<Milestone> milestones) {
        List<Milestone> national = milestones.stream()
                .filter(m -> m.kind() == MilestoneKind.THRESHOLD && m.milestoneId().startsWith(year + "|NATIONAL|KR|")).toList();
        assertThat(national).allMatch(m -> m.type() == MilestoneType.CROSSED);
        assertThat(national).hasSize(7);
        for (Milestone m : national) {
            Declared expected = firstReaching(usd(m.thresholdUsd().toPlainString()));
            assertThat(m.declarationId()).as("declaration that crossed %s", m.thresholdUsd()).isEqualTo(expected.decl().id);
        }
    }
}
