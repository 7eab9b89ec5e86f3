package io.exportcounter.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.ExporterSize;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.state.RestoreLog;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulationSummary;
import io.exportcounter.simulator.Simulator;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #20's year: a calibrated 2025 of 50 million declarations (by default), all of it but its last day produced
 * first, then counted by one instance from the start: the rate over the whole year and per tenth of it, exactness, the
 * $700B milestone, memory, state and the broker's topics. Then the instance loses its state directory and is started
 * again (restore time, what the API answered meanwhile), and the last day is produced and counted. Its own section
 * of docs/benchmarks.md.
 */
final class YearRun {
    private static final Logger log = LoggerFactory.getLogger(YearRun.class);
    static final String DECLARATIONS = "year.declarations";
    static final String RATES = "year.rates";
    static final String RUN = "year-1x";
    /** The year's last day is held back, to be counted after the restore: it shows the restored instance counting. */
    static final Instant LAST_DAY = OffsetDateTime.parse("2025-12-31T00:00:00+09:00").toInstant();
    private static final OffsetDateTime PROBE_AT = OffsetDateTime.parse("2025-12-31T23:00:00+09:00");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESTORED = Pattern.compile(Pattern.quote(RestoreLog.RESTORED)
            + " (\\d+) records of (\\d+) store partitions in ([0-9.]+) s");

    /** What one stretch of the year came to. */
    record Tenth(int tenth, long records, Duration since) {
    }

    /** What the API answered: how many answers of each kind, and when the first fresh one came. */
    record Answers(Map<String, Long> counts, Duration firstFresh) {
    }

    record Restore(Duration toRunning, long records, int storePartitions, double seconds, Duration toCountAgain,
                   Duration toCaughtUp, Answers answers) {
    }

    record Sizes(Map<String, Long> bytesByTopic) {
        long sum(java.util.function.Predicate<String> topics) {
            return bytesByTopic.entrySet().stream().filter(e -> topics.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }
    }

    record Result(SimulationSummary produced, Duration produceTime, CatchUp.Result count, List<Tenth> tenths,
                  Report.Memory half, Report.Memory end, BenchmarkMain.Verification check, Sizes sizes, Restore restore,
                  SimulationSummary lastDay, long finalCents, long expectedFinalCents, Takeover takeover) {
    }

    /** Two instances with a standby: their count of the whole year, then the stage-2 instance killed. */
    record Takeover(CatchUp.Result count, Report.Memory end, BenchmarkMain.Verification check, int probes,
                    Duration toCountAgain, Duration toCaughtUp, String restoreLine, Answers answers) {
    }

    static final String RUN_2X = "year-2x";
    /** Declarations sent right after the kill: $1,000.00 each in USD, so the total they add is exact and known. */
    static final int PROBES = 100;
    private static final long PROBE_CENTS = 100_000;

    private final String bootstrap;
    private final Admin admin;
    private final PipelineInstances pipelines;
    private final int declarations;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    YearRun(String bootstrap, Admin admin, PipelineInstances pipelines, int declarations) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.pipelines = pipelines;
        this.declarations = declarations;
    }

    Result run() throws Exception {
        // Given the year, all but its last day, on the input topic
        log.info("Year: producing {} simulated declarations of 2025 up to December 31 to {}", declarations, DECLARATIONS);
        long t0 = System.nanoTime();
        SimulationSummary produced = Simulator.run(options().until(LAST_DAY).build(), null);
        Duration produceTime = Duration.ofNanos(System.nanoTime() - t0);

        Map<String, String> config = pipelines.config(RUN, DECLARATIONS, RATES);
        Counted counted;
        ChildJvm counting = pipelines.start(RUN, 0, config);
        try {
            // When one instance counts it from the start
            counted = count(counting, config, produced);
        } finally {
            // Then, stopped, it loses its state directory...
            counting.close();
        }
        Files.move(counting.log(), counting.log().resolveSibling("pipeline-counting.log"), StandardCopyOption.REPLACE_EXISTING);
        BenchmarkMain.deleteTree(pipelines.stateDir(RUN, 0));
        log.info("Year: state directory deleted; starting the instance again");
        long restartNanos = System.nanoTime();
        ChildJvm restarted = pipelines.start(RUN, 0, config);
        Restore restore;
        SimulationSummary lastDay;
        long expectedFinal;
        long finalCents;
        try {
            // ...and is started again; once it runs, the last day is produced and counted
            ApiWatch watch = ApiWatch.start(http, pipelines.httpPort(RUN, 0));
            Duration toRunning = awaitRunningAfterRestore(restarted, restartNanos);
            Restored restored = restoredBeforeRunning(restarted);
            // The simulator plans the whole year to reach its last day: the clock starts when the day has been sent.
            lastDay = Simulator.run(options().from(LAST_DAY).build(), null);
            long lastDaySent = System.nanoTime();
            expectedFinal = produced.finalTotalCents() + lastDay.finalTotalCents();
            Duration toCountAgain = watch.awaitTotalOtherThan(produced.finalTotalCents(), Duration.ofMinutes(30), lastDaySent);
            Duration toCaughtUp = watch.awaitTotal(expectedFinal, Duration.ofMinutes(30), lastDaySent);
            watch.stop();
            finalCents = watch.lastTotal();
            restore = new Restore(toRunning, restored.records(), restored.storePartitions(), restored.seconds(),
                    toCountAgain, toCaughtUp, watch.answers(restartNanos));
            log.info("Year: restored {} records in {} s; running {} s after the restart; counting again {} s and caught up {} s "
                            + "after the last day was sent; API: {}", restore.records(), restore.seconds(), toRunning.toSeconds(),
                    toCountAgain.toMillis() / 1000.0, toCaughtUp.toMillis() / 1000.0, restore.answers().counts());
        } finally {
            restarted.close();
        }
        Takeover takeover = takeover(expectedFinal, produced.count(SimEvent.Kind.MALFORMED) + lastDay.count(SimEvent.Kind.MALFORMED),
                produced.crossingDeclarationId());
        return new Result(produced, produceTime, counted.count(), counted.tenths(), counted.half(), counted.end(),
                counted.check(), counted.sizes(), restore, lastDay, finalCents, expectedFinal, takeover);
    }

    /**
     * The whole year counted by two instances with one standby each task; then the instance holding stage 2 is
     * SIGKILLed and {@link #PROBES} declarations are sent at once: how long until the other one counts them.
     */
    private Takeover takeover(long expectedCents, long expectedRejected, String expectedCrossing) throws Exception {
        Map<String, String> config = pipelines.config(RUN_2X, DECLARATIONS, RATES);
        config.put("streams.num.standby.replicas", "1");
        // A dead member is noticed after the session timeout: the broker's minimum, as for fast failover.
        config.put("streams.session.timeout.ms", "6000");
        config.put("streams.heartbeat.interval.ms", "1500");
        List<ChildJvm> jvms = new ArrayList<>(List.of(pipelines.start(RUN_2X, 0, config), pipelines.start(RUN_2X, 1, config)));
        try {
            String app = config.get("streams.application.id");
            String changes = BenchmarkMain.awaitTopic(admin, app, "-country-changes-repartition", jvms.get(0));
            log.info("Year: two instances with a standby count the whole year");
            CatchUp.Result count = CatchUp.measure(admin, app, DECLARATIONS, List.of(DECLARATIONS, changes), Duration.ofHours(3),
                    (tenth, fraction, records, since) -> log.info("Year, two instances: {}0% counted after {} s", tenth,
                            since.toSeconds()), jvms);
            Report.Memory end = BenchmarkMain.memory(jvms, pipelines, RUN_2X, 1.0);
            BenchmarkMain.Verification check = BenchmarkMain.verify(bootstrap, config, expectedCents, expectedRejected,
                    expectedCrossing, jvms);
            log.info("Year, two instances: {} declarations/s; {}", Math.round(count.perSecond()), check);
            // The standbys follow the changelogs as the active tasks write them; a few seconds let them reach the end.
            Thread.sleep(10_000);
            int holder = stageTwoHolder(jvms);
            ChildJvm survivor = jvms.get(1 - holder);
            ApiWatch watch = ApiWatch.start(http, pipelines.httpPort(RUN_2X, 1 - holder));
            watch.awaitTotal(expectedCents, Duration.ofMinutes(1), System.nanoTime() - Duration.ofMinutes(1).toNanos());
            long logLinesBefore = lines(survivor);
            log.info("Year: killing {}, which holds stage 2", jvms.get(holder).name());
            long killed = System.nanoTime();
            jvms.get(holder).kill();
            sendProbes();
            Duration toCountAgain = watch.awaitTotalOtherThan(expectedCents, Duration.ofMinutes(10), killed);
            Duration toCaughtUp = watch.awaitTotal(expectedCents + PROBES * PROBE_CENTS, Duration.ofMinutes(10), killed);
            watch.stop();
            String restoreLine = restoreLineAfter(survivor, logLinesBefore);
            Answers answers = watch.answers(killed);
            log.info("Year: the standby took over; counting again {} s and caught up {} s after the kill; {}; API: {}",
                    toCountAgain.toMillis() / 1000.0, toCaughtUp.toMillis() / 1000.0, restoreLine, answers.counts());
            return new Takeover(count, end, check, PROBES, toCountAgain, toCaughtUp, restoreLine, answers);
        } finally {
            jvms.forEach(ChildJvm::close);
        }
    }

    /** Which of the instances holds stage 2: {@code totalsOwner} of {@code /api/v1/status}. */
    private int stageTwoHolder(List<ChildJvm> jvms) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + pipelines.httpPort(RUN_2X, 0) + "/api/v1/status")).build(), HttpResponse.BodyHandlers.ofByteArray());
            String owner = r.statusCode() == 200 ? JSON.readTree(r.body()).path("totalsOwner").asText("") : "";
            for (int i = 0; i < jvms.size(); i++) {
                if (owner.endsWith(":" + pipelines.httpPort(RUN_2X, i))) {
                    return i;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no instance holds stage 2 after 2 minutes");
    }

    private void sendProbes() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PROBES; i++) {
                String id = String.format(Locale.ROOT, "TAKEOVER-%03d", i);
                ExportDeclaration d = new ExportDeclaration(id, 0, Action.ACCEPT, PROBE_AT, "1208812345", ExporterSize.SME,
                        "8542321010", "US", "USD", new BigDecimal("1000.00"));
                producer.send(new ProducerRecord<>(DECLARATIONS, id.getBytes(StandardCharsets.UTF_8), ContractJson.instance().write(d)));
            }
        }
    }

    private static long lines(ChildJvm jvm) throws IOException {
        try (Stream<String> lines = Files.lines(jvm.log())) {
            return lines.count();
        }
    }

    /** The survivor's restore line after the kill, or a note that it restored nothing (its standby was warm). */
    private static String restoreLineAfter(ChildJvm jvm, long skip) throws IOException {
        try (Stream<String> lines = Files.lines(jvm.log())) {
            return lines.skip(skip).filter(l -> l.contains(RestoreLog.RESTORED))
                    .map(l -> l.substring(l.indexOf(RestoreLog.RESTORED))).reduce((a, b) -> b)
                    .orElse("nothing restored from changelogs");
        }
    }

    private record Counted(CatchUp.Result count, List<Tenth> tenths, Report.Memory half, Report.Memory end,
                           BenchmarkMain.Verification check, Sizes sizes) {
    }

    private Counted count(ChildJvm instance, Map<String, String> config, SimulationSummary produced) throws Exception {
        String app = config.get("streams.application.id");
        String changes = BenchmarkMain.awaitTopic(admin, app, "-country-changes-repartition", instance);
        List<Tenth> tenths = new ArrayList<>();
        Report.Memory[] half = new Report.Memory[1];
        CatchUp.Result count = CatchUp.measure(admin, app, DECLARATIONS, List.of(DECLARATIONS, changes), Duration.ofHours(3),
                (tenth, fraction, records, since) -> {
                    tenths.add(new Tenth(tenth, records, since));
                    log.info("Year: {}0% counted after {} s", tenth, since.toSeconds());
                    if (tenth == 5) {
                        half[0] = BenchmarkMain.memory(List.of(instance), pipelines, RUN, fraction);
                    }
                }, List.of(instance));
        Report.Memory end = BenchmarkMain.memory(List.of(instance), pipelines, RUN, 1.0);
        BenchmarkMain.Verification check = BenchmarkMain.verify(bootstrap, config, produced, List.of(instance));
        Sizes sizes = sizes();
        log.info("Year: {} declarations/s; {}", Math.round(count.perSecond()), check);
        return new Counted(count, tenths, half[0], end, check, sizes);
    }

    private SimulatorOptions.Builder options() {
        return SimulatorOptions.builder().year(2025).seed(2025).declarations(declarations).bootstrapServers(bootstrap)
                .declarationsTopic(DECLARATIONS).ratesTopic(RATES).partitions(BenchmarkMain.PARTITIONS).progress(false);
    }

    /** Bytes on the broker's disk by topic (the one broker's log directories). */
    private Sizes sizes() throws Exception {
        Map<String, Long> byTopic = new TreeMap<>();
        int broker = admin.describeCluster().nodes().get().iterator().next().id();
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker);
        for (LogDirDescription d : dirs.values()) {
            for (Map.Entry<TopicPartition, ReplicaInfo> r : d.replicaInfos().entrySet()) {
                byTopic.merge(r.getKey().topic(), r.getValue().size(), Long::sum);
            }
        }
        return new Sizes(byTopic);
    }

    /** From the restart to the instance's streams reaching RUNNING (it logs each state change). */
    private static Duration awaitRunningAfterRestore(ChildJvm instance, long restartNanos) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        while (System.nanoTime() < deadline) {
            instance.requireAlive();
            try (Stream<String> lines = Files.lines(instance.log())) {
                if (lines.anyMatch(l -> l.contains("-> RUNNING"))) {
                    return Duration.ofNanos(System.nanoTime() - restartNanos);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(instance.name() + " did not reach RUNNING within an hour:\n" + instance.tail(30));
    }

    private record Restored(long records, int storePartitions, double seconds) {
    }

    /** The instance's restore lines up to its RUNNING, added up (the global stores' first, then the tasks'). */
    private static Restored restoredBeforeRunning(ChildJvm instance) throws IOException {
        long records = 0;
        int partitions = 0;
        double seconds = 0;
        try (Stream<String> lines = Files.lines(instance.log())) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains("-> RUNNING")) {
                    break;
                }
                Matcher m = RESTORED.matcher(l);
                if (m.find()) {
                    records += Long.parseLong(m.group(1));
                    partitions += Integer.parseInt(m.group(2));
                    seconds += Double.parseDouble(m.group(3));
                }
            }
        }
        return new Restored(records, partitions, seconds);
    }

    /**
     * Asks the instance for the national 2025 total every 100 ms and keeps what it answered: a fresh 200, a 200 marked
     * stale, a 503, another status, or no answer (not listening yet).
     */
    private static final class ApiWatch implements Runnable {
        private final HttpClient http;
        private final URI uri;
        private final Thread thread;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Map<Long, String> answers = new ConcurrentSkipListMap<>();
        private final AtomicLong lastTotal = new AtomicLong(-1);
        private final Map<Long, Long> totals = new ConcurrentSkipListMap<>();

        private ApiWatch(HttpClient http, int port) {
            this.http = http;
            this.uri = URI.create("http://localhost:" + port + "/api/v1/totals/2025");
            this.thread = new Thread(this, "year-api-watch-" + port);
            thread.setDaemon(true);
        }

        /** Starts asking the instance listening on {@code port}. */
        static ApiWatch start(HttpClient http, int port) {
            ApiWatch watch = new ApiWatch(http, port);
            watch.thread.start();
            return watch;
        }

        @Override
        public void run() {
            while (!stopped.get()) {
                long at = System.nanoTime();
                String kind;
                try {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    boolean stale = r.headers().firstValue("X-Export-Counter-Stale").map(Boolean::parseBoolean).orElse(false);
                    kind = r.statusCode() == 200 ? (stale ? "200 stale" : "200") : Integer.toString(r.statusCode());
                    if (r.statusCode() == 200) {
                        long cents = Money.toCents(ContractJson.instance().parseTotal(r.body()).totalUsd());
                        lastTotal.set(cents);
                        totals.put(at, cents);
                    }
                } catch (InvalidRecordException e) {
                    kind = "200 unreadable";
                } catch (IOException e) {
                    kind = "no answer";
                } catch (InterruptedException e) {
                    return;
                }
                answers.put(at, kind);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops asking, and waits for the last question to be answered. */
        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join(10_000);
        }

        long lastTotal() {
            return lastTotal.get();
        }

        Duration awaitTotal(long cents, Duration timeout, long fromNanos) throws InterruptedException {
            return await(c -> c == cents, timeout, fromNanos, "the total to reach " + cents);
        }

        Duration awaitTotalOtherThan(long cents, Duration timeout, long fromNanos) throws InterruptedException {
            return await(c -> c != cents, timeout, fromNanos, "the total to move from " + cents);
        }

        private Duration await(java.util.function.LongPredicate ok, Duration timeout, long fromNanos, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (Map.Entry<Long, Long> t : totals.entrySet()) {
                    if (t.getKey() >= fromNanos && ok.test(t.getValue())) {
                        return Duration.ofNanos(t.getKey() - fromNanos);
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("timed out waiting for " + what + " (last " + lastTotal.get() + ")");
        }

        Answers answers(long fromNanos) {
            Map<String, Long> counts = new TreeMap<>();
            Duration firstFresh = null;
            for (Map.Entry<Long, String> a : answers.entrySet()) {
                counts.merge(a.getValue(), 1L, Long::sum);
                if (firstFresh == null && a.getValue().equals("200")) {
                    firstFresh = Duration.ofNanos(a.getKey() - fromNanos);
                }
            }
            return new Answers(counts, firstFresh);
        }
    }

}
