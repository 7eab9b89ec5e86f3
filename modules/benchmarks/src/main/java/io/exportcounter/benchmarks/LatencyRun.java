package io.exportcounter.benchmarks;

import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExchangeRate;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Total;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency at a live pace: declarations accepted "now" are produced at a steady rate to a running pipeline,
 * and a {@code read_committed} consumer of its output notes when each becomes visible.
 *
 * <ul>
 *   <li>To the updated total: the k-th declaration sent is counted once the national annual total's
 *   {@code declarations} reaches k (only new declarations are sent, so the count only grows). Partitions
 *   may apply a neighbour first; over a run the two orders differ by a few records of one flush.</li>
 *   <li>To the milestone: thresholds are placed along the run's cumulative value, and each milestone names
 *   its declaration, so its latency is exact: visible minus sent.</li>
 * </ul>
 * Values, item groups, destinations and currencies come from the simulator's 2025 mix.
 */
final class LatencyRun {
    private static final Logger log = LoggerFactory.getLogger(LatencyRun.class);
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final int THRESHOLDS = 40;

    record Result(long[] totalNanos, long[] milestoneNanos, int sent, double achievedRate) {
    }

    private final String bootstrap;
    private final int rate;
    private final Duration warmUp;
    private final Duration measured;
    private final List<ExportDeclaration> mix = new ArrayList<>();
    private final List<Long> usdCents = new ArrayList<>();
    private final Map<String, ExchangeRate> latestRates = new HashMap<>();

    LatencyRun(String bootstrap, int rate, Duration warmUp, Duration measured) {
        this.bootstrap = bootstrap;
        this.rate = rate;
        this.warmUp = warmUp;
        this.measured = measured;
        int needed = (int) (rate * (warmUp.toSeconds() + measured.toSeconds()));
        SimulatorOptions options = SimulatorOptions.builder().declarations(Math.max(needed, SimulatorOptions.MIN_DECLARATIONS))
                .seed(7).malformedShare(0).progress(false).build();
        DeclarationGenerator generator = DeclarationGenerator.create(options);
        ContractJson json = ContractJson.instance();
        while (generator.hasNext() && mix.size() < needed) {
            SimEvent e = generator.next();
            try {
                if (e.kind() == SimEvent.Kind.RATE) {
                    ExchangeRate r = json.parseExchangeRate(e.value());
                    latestRates.put(r.currency(), r);
                } else if (e.kind() == SimEvent.Kind.ACCEPT) {
                    mix.add(json.parseDeclaration(e.value()));
                    usdCents.add(e.usdDeltaCents());
                }
            } catch (InvalidRecordException ex) {
                throw new IllegalStateException("the simulator wrote an invalid record: " + ex.getMessage(), ex);
            }
        }
    }

    int declarations() {
        return mix.size();
    }

    /**
     * The annual national thresholds for the run's config, whole dollars, evenly spaced over the value sent after
     * the warm-up (the rates are today's copies of 2025's, so values land near, not on, the simulator's USD).
     */
    String thresholds() {
        long[] cumulative = new long[mix.size()];
        long sum = 0;
        for (int i = 0; i < mix.size(); i++) {
            sum += usdCents.get(i);
            cumulative[i] = sum;
        }
        int first = (int) (rate * warmUp.toSeconds());
        List<String> out = new ArrayList<>();
        long last = 0;
        for (int j = 1; j <= THRESHOLDS; j++) {
            int at = first + (int) ((long) (mix.size() - first - 1) * j / (THRESHOLDS + 1));
            long dollars = cumulative[at] / 100;
            if (dollars > last) {
                out.add(Long.toString(dollars));
                last = dollars;
            }
        }
        return String.join(",", out);
    }

    /** Publishes today's rates (2025's last values, in force since yesterday) to {@code ratesTopic}. */
    void publishRates(String ratesTopic) {
        OffsetDateTime validFrom = OffsetDateTime.now(SEOUL).minusDays(1).truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ExchangeRate r : latestRates.values()) {
                ExchangeRate today = new ExchangeRate(r.currency(), r.krwPerUnit(), validFrom);
                producer.send(new ProducerRecord<>(ratesTopic, r.currency().getBytes(StandardCharsets.UTF_8),
                        ContractJson.instance().write(today)));
            }
        }
    }

    /** Sends every declaration at the rate, stamped now, and waits until each is visible (at most {@code drain} more). */
    Result run(String declarationsTopic, String totalsTopic, String milestonesTopic, Duration drain) throws InterruptedException {
        int n = mix.size();
        long[] sentAt = new long[n];
        long[] countedAt = new long[n];
        Map<String, Integer> index = new HashMap<>();
        String year = Integer.toString(OffsetDateTime.now(SEOUL).getYear());
        String nationalKey = year + "|NATIONAL|KR";
        List<long[]> milestoneLatencies = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        int[] counted = {0};

        for (int k = 0; k < n; k++) {
            index.put("LAT-" + k, k);
        }
        Thread reader = new Thread(() -> {
            ContractJson json = ContractJson.instance();
            try (KafkaConsumer<String, byte[]> consumer = TopicReader.consumer(bootstrap)) {
                TopicReader.assignFromStart(consumer, List.of(totalsTopic, milestonesTopic));
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        if (r.topic().equals(totalsTopic) && r.key().equals(nationalKey)) {
                            Total t = json.parseTotal(r.value());
                            synchronized (countedAt) {
                                while (counted[0] < Math.min(t.declarations(), n)) {
                                    countedAt[counted[0]++] = now;
                                }
                            }
                        } else if (r.topic().equals(milestonesTopic)) {
                            Milestone m = json.parseMilestone(r.value());
                            Integer k = index.get(m.declarationId());
                            if (m.type() == MilestoneType.CROSSED && k != null) {
                                synchronized (milestoneLatencies) {
                                    milestoneLatencies.add(new long[] {k, now});
                                }
                            }
                        }
                    }
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        }, "latency-reader");
        reader.start();

        long started = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int k = 0; k < n; k++) {
                long due = started + k * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                ExportDeclaration d = mix.get(k);
                OffsetDateTime now = OffsetDateTime.now(SEOUL);
                ExportDeclaration live = new ExportDeclaration("LAT-" + k, 0, Action.ACCEPT, now, d.exporterId(),
                        d.exporterSize(), d.hsCode(), d.destination(), d.currency(), d.fobAmount());
                sentAt[k] = System.nanoTime();
                producer.send(new ProducerRecord<>(declarationsTopic, live.declarationId().getBytes(StandardCharsets.UTF_8),
                        ContractJson.instance().write(live)));
            }
        }
        double achieved = n / ((System.nanoTime() - started) / 1e9);
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainUntil && readerFailure.get() == null) {
            synchronized (countedAt) {
                if (counted[0] >= n) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // the last milestones' transactions
        stop.set(true);
        reader.join(10_000);
        if (readerFailure.get() != null) {
            throw new IllegalStateException("the latency reader failed: " + readerFailure.get(), readerFailure.get());
        }
        int firstMeasured = (int) (rate * warmUp.toSeconds());
        long[] totals;
        synchronized (countedAt) {
            if (counted[0] < n) {
                throw new IllegalStateException("only " + counted[0] + " of " + n + " declarations became visible within "
                        + drain + " of the last send");
            }
            totals = new long[n - firstMeasured];
            for (int k = firstMeasured; k < n; k++) {
                totals[k - firstMeasured] = countedAt[k] - sentAt[k];
            }
        }
        long[] milestones = milestoneLatencies.stream().filter(m -> m[0] >= firstMeasured)
                .mapToLong(m -> m[1] - sentAt[(int) m[0]]).toArray();
        Arrays.sort(totals);
        Arrays.sort(milestones);
        log.info("Latency run: {} declarations at {}/s, {} milestones", n, String.format("%.0f", achieved), milestones.length);
        return new Result(totals, milestones, n, achieved);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0); // a customs system sends each acceptance as it happens
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
