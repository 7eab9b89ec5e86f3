package io.exportcounter.benchmarks;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.pipeline.order.Inbox;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulationSummary;
import io.exportcounter.simulator.Simulator;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark suite of issue #7, run by {@code bin/benchmarks}: one embedded broker, one simulated input
 * topic, and every measured program in a JVM of its own reading it — the plain consumer (the limit), the
 * textbook one-sum aggregation (the baseline), the pipeline with one and with two instances — then the
 * pipeline at a live pace for latency, and JMH for the codec. Figures are reported as ratios to the limit
 * and the baseline measured in the same run, because these machines are shared and noisy.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        description = "Measures the pipeline against the limit of the machine and writes docs/benchmarks.md.")
public final class BenchmarkMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BenchmarkMain.class);
    static final String DECLARATIONS = "bench.declarations";
    static final String RATES = "bench.rates";
    static final int PARTITIONS = 6;

    /**
     * FORECAST is the forecaster's backtest (no broker; it writes docs/forecast.md), YEAR the year at scale (its own
     * section of docs/benchmarks.md); neither is part of the default set.
     */
    enum Scenario { LIMIT, BASELINE, THROUGHPUT, SCALE_OUT, LATENCY, CODEC, FORECAST, YEAR }

    @Option(names = "--declarations", paramLabel = "N", description = "Simulated declarations (ACCEPTs) in the input topic (default: ${DEFAULT-VALUE}).")
    int declarations = 5_000_000;

    @Option(names = "--scenarios", split = ",", paramLabel = "S", description = "Which to run, of ${COMPLETION-CANDIDATES} (default: all but forecast and year).")
    Set<Scenario> scenarios = EnumSet.complementOf(EnumSet.of(Scenario.FORECAST, Scenario.YEAR));

    @Option(names = "--year-declarations", paramLabel = "N", description = "Year at scale: simulated declarations (default: ${DEFAULT-VALUE}).")
    int yearDeclarations = 50_000_000;

    @Option(names = "--forecast-years", split = ",", paramLabel = "Y", description = "Forecast backtest: the years replayed (default: ${DEFAULT-VALUE}).")
    List<Integer> forecastYears = List.of(2024, 2025);

    @Option(names = "--forecast-seeds", split = ",", paramLabel = "N", description = "Forecast backtest: the simulator seeds (default: ${DEFAULT-VALUE}).")
    List<Long> forecastSeeds = List.of(1L, 2L, 3L, 4L, 5L);

    @Option(names = "--forecast-declarations", paramLabel = "N", description = "Forecast backtest: simulated declarations a year (default: ${DEFAULT-VALUE}).")
    int forecastDeclarations = 500_000;

    @Option(names = "--forecast-out", paramLabel = "FILE", description = "Forecast backtest: the page whose backtest section it rewrites (default: ${DEFAULT-VALUE}).")
    Path forecastOut = Path.of("docs/forecast.md");

    @Option(names = "--latency-rate", paramLabel = "N/s", description = "Declarations per second in the latency run (default: ${DEFAULT-VALUE}).")
    int latencyRate = 2_000;

    @Option(names = "--latency-seconds", paramLabel = "S", description = "Measured seconds of the latency run, after 10 s of warm-up (default: ${DEFAULT-VALUE}).")
    int latencySeconds = 60;

    @Option(names = "--pipeline", paramLabel = "KEY=VALUE", description = "A pipeline config key for every pipeline instance (e.g. streams.num.stream.threads=2).")
    Map<String, String> pipelineOverrides = new LinkedHashMap<>();

    @Option(names = "--pipeline-jvm", paramLabel = "OPTION", description = "A JVM option for every pipeline JVM (e.g. -XX:StartFlightRecording=filename=p.jfr).")
    List<String> pipelineJvmOptions = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "The report (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("docs/benchmarks.md");

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Broker data, state and logs (default: ${DEFAULT-VALUE}); emptied first.")
    Path workDir = Path.of("modules/benchmarks/target/bench-work");

    private final Report report = new Report();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (scenarios.contains(Scenario.FORECAST)) {
            new ForecastBacktest(forecastYears, forecastSeeds, forecastDeclarations, forecastOut,
                    Path.of("config/pipeline.properties")).run();
            if (scenarios.size() == 1) {
                return 0;
            }
        }
        deleteTree(workDir);
        Files.createDirectories(workDir);
        report.machine(Machine.describe());
        report.settings(declarations, PARTITIONS, PipelineInstances.HEAP, pipelineOverrides);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(workDir.resolve("broker")).build().start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            PipelineInstances pipelines = new PipelineInstances(bootstrap, workDir, pipelineOverrides, pipelineJvmOptions);
            SimulationSummary input = null;
            if (needsInput()) {
                input = produceInput(bootstrap);
            }
            CatchUp.Result limit = null;
            if (scenarios.contains(Scenario.LIMIT)) {
                limit = limit(bootstrap);
            }
            CatchUp.Result baseline = null;
            if (scenarios.contains(Scenario.BASELINE)) {
                baseline = baseline(bootstrap, admin, limit);
            }
            if (scenarios.contains(Scenario.THROUGHPUT)) {
                throughput("pipeline-1x", 1, pipelines, admin, bootstrap, input, limit, baseline);
            }
            if (scenarios.contains(Scenario.SCALE_OUT)) {
                throughput("pipeline-2x", 2, pipelines, admin, bootstrap, input, limit, baseline);
            }
            if (scenarios.contains(Scenario.LATENCY)) {
                latency(pipelines, bootstrap);
            }
            if (scenarios.contains(Scenario.YEAR)) {
                YearRun.Result year = new YearRun(bootstrap, admin, pipelines, yearDeclarations).run();
                YearReport.SECTION.write(out, "Benchmarks", YearReport.markdown(year, Machine.describe()));
                log.info("Wrote the year's section into {}", out.toAbsolutePath());
            }
        }
        if (EnumSet.of(Scenario.FORECAST, Scenario.YEAR).containsAll(scenarios)) {
            return 0;
        }
        if (scenarios.contains(Scenario.CODEC)) {
            codec();
        }
        report.write(out);
        log.info("Wrote {}", out.toAbsolutePath());
        return 0;
    }

    private boolean needsInput() {
        return scenarios.stream().anyMatch(EnumSet.of(Scenario.LIMIT, Scenario.BASELINE, Scenario.THROUGHPUT,
                Scenario.SCALE_OUT)::contains);
    }

    /** The shared input: a simulated 2025 on 6 partitions, sent as fast as the broker takes it. */
    private SimulationSummary produceInput(String bootstrap) throws InterruptedException {
        log.info("Producing {} simulated declarations to {}", declarations, DECLARATIONS);
        SimulatorOptions options = SimulatorOptions.builder().year(2025).seed(2025).declarations(declarations)
                .bootstrapServers(bootstrap).declarationsTopic(DECLARATIONS).ratesTopic(RATES).partitions(PARTITIONS)
                .progress(false).build();
        SimulationSummary s = Simulator.run(options, null);
        report.input(s);
        return s;
    }

    private CatchUp.Result limit(String bootstrap) throws InterruptedException {
        log.info("Limit: a plain consumer reading and parsing {}", DECLARATIONS);
        long brokerCpu = CatchUp.ownCpu();
        try (ChildJvm jvm = ChildJvm.start("plain consumer", List.of(PipelineInstances.HEAP, PipelineInstances.GC), PlainConsumerMain.class.getName(),
                List.of(bootstrap, DECLARATIONS), workDir.resolve("limit/consumer.log"))) {
            if (jvm.waitFor(Duration.ofMinutes(20)) != 0) {
                throw new IllegalStateException("the plain consumer failed:\n" + jvm.tail(30));
            }
            String line = jvm.tail(200).lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no RESULT line from the plain consumer:\n" + jvm.tail(30)));
            Map<String, Long> v = new LinkedHashMap<>();
            for (String kv : line.substring(7).split(" ")) {
                v.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
            }
            // The broker's CPU is counted over the child's whole life (start-up included): a slight overstatement.
            CatchUp.Result r = new CatchUp.Result(v.get("records"), Duration.ofNanos(v.get("nanos")), v.get("cpu"),
                    CatchUp.ownCpu() - brokerCpu);
            report.limit(r);
            log.info("Limit: {} records/s", Math.round(r.perSecond()));
            return r;
        }
    }

    private CatchUp.Result baseline(String bootstrap, Admin admin, CatchUp.Result limit) throws Exception {
        String app = "bench-one-sum";
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("application.id", app);
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("state.dir", workDir.resolve("baseline/state").toString());
        Path file = workDir.resolve("baseline/streams.properties");
        PipelineInstances.write(file, props);
        log.info("Baseline: the textbook one-sum aggregation over {}", DECLARATIONS);
        try (ChildJvm jvm = ChildJvm.start("one-sum baseline", List.of(PipelineInstances.HEAP, PipelineInstances.GC), OneSumBaselineMain.class.getName(),
                List.of(file.toString(), DECLARATIONS, "bench-one-sum.out"), workDir.resolve("baseline/baseline.log"))) {
            String repartition = awaitTopic(admin, app, "-repartition", jvm);
            CatchUp.Result r = CatchUp.measure(admin, app, DECLARATIONS, List.of(DECLARATIONS, repartition),
                    Duration.ofMinutes(30), f -> { }, List.of(jvm));
            report.baseline(r, limit);
            log.info("Baseline: {} declarations/s", Math.round(r.perSecond()));
            return r;
        }
    }

    private void throughput(String run, int instances, PipelineInstances pipelines, Admin admin, String bootstrap,
                            SimulationSummary input, CatchUp.Result limit, CatchUp.Result baseline) throws Exception {
        Map<String, String> config = pipelines.config(run, DECLARATIONS, RATES);
        log.info("Throughput: {} pipeline instance(s) over {}", instances, DECLARATIONS);
        List<ChildJvm> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                jvms.add(pipelines.start(run, i, config));
            }
            String app = config.get("streams.application.id");
            String changes = awaitTopic(admin, app, "-country-changes-repartition", jvms.get(0));
            AtomicReference<Report.Memory> half = new AtomicReference<>();
            CatchUp.Result r = CatchUp.measure(admin, app, DECLARATIONS, List.of(DECLARATIONS, changes), Duration.ofMinutes(60),
                    fraction -> half.set(memory(jvms, pipelines, run, fraction)), jvms);
            Report.Memory end = memory(jvms, pipelines, run, 1.0);
            Verification check = verify(bootstrap, config, input, jvms);
            log.info("Throughput {}: {} declarations/s; {}", run, Math.round(r.perSecond()), check);
            report.throughput(run, instances, r, limit, baseline, half.get(), end, check);
        } finally {
            jvms.forEach(ChildJvm::close);
        }
    }

    /**
     * @param expectedCrossing the declaration the simulator planned to cross $700B (null: none planned)
     * @param actualCrossing   the one the pipeline's $700B milestone names, with its local time (null: none)
     */
    /**
     * @param orderGivenUp times stage 2 stopped waiting for lagging stage-1 tasks (its cap of waiting entries
     *                     reached): from then until they caught up, milestones could name declarations out of order
     */
    record Verification(long expectedCents, long actualCents, long expectedRejected, long actualRejected,
                        String expectedCrossing, String actualCrossing, String actualCrossingTime, int orderGivenUp) {
        boolean exact() {
            return expectedCents == actualCents && expectedRejected == actualRejected;
        }

        boolean crossingRight() {
            return expectedCrossing == null || expectedCrossing.equals(actualCrossing);
        }

        @Override
        public String toString() {
            String crossing = expectedCrossing == null ? ""
                    : "; $700B crossed by " + actualCrossing + " at " + actualCrossingTime
                            + (crossingRight() ? " (as planned)" : " (NOT the planned " + expectedCrossing + ")");
            return (exact() ? "exact" : "NOT EXACT") + ": national 2025 " + Money.format(actualCents) + " (expected "
                    + Money.format(expectedCents) + "), rejected " + actualRejected + " (expected " + expectedRejected + ")"
                    + crossing + (orderGivenUp == 0 ? "; acceptance order kept throughout"
                            : "; stage 2 gave up acceptance order " + orderGivenUp + " time(s) (waiting cap reached)");
        }
    }

    /** The run's national 2025 total and rejection count against what the simulator sent. */
    private static final BigDecimal SEVEN_HUNDRED_BILLION = new BigDecimal("700000000000");

    static Verification verify(String bootstrap, Map<String, String> config, SimulationSummary input,
                               List<ChildJvm> jvms) throws IOException {
        return verify(bootstrap, config, input.finalTotalCents(), input.count(SimEvent.Kind.MALFORMED),
                input.crossingDeclarationId(), jvms);
    }

    /** As above, against a total, a count of malformed records and a planned crossing given apart. */
    static Verification verify(String bootstrap, Map<String, String> config, long expectedCents, long expectedRejected,
                               String expectedCrossing, List<ChildJvm> jvms) throws IOException {
        AtomicReference<Total> national = new AtomicReference<>();
        TopicReader.readAll(bootstrap, config.get("topics.totals"), r -> {
            if (r.key().equals("2025|NATIONAL|KR")) {
                try {
                    national.set(ContractJson.instance().parseTotal(r.value()));
                } catch (InvalidRecordException e) {
                    throw new IllegalStateException("the pipeline wrote an invalid total: " + e.getMessage(), e);
                }
            }
        });
        long[] rejected = {0};
        TopicReader.readAll(bootstrap, config.get("topics.rejected"), r -> rejected[0]++);
        AtomicReference<Milestone> crossing = new AtomicReference<>();
        TopicReader.readAll(bootstrap, config.get("topics.milestones"), r -> {
            try {
                Milestone m = ContractJson.instance().parseMilestone(r.value());
                if (m.type() == MilestoneType.CROSSED && m.dimension() == Dimension.NATIONAL && m.period().equals("2025")
                        && m.thresholdUsd().compareTo(SEVEN_HUNDRED_BILLION) == 0 && crossing.get() == null) {
                    crossing.set(m);
                }
            } catch (InvalidRecordException e) {
                throw new IllegalStateException("the pipeline wrote an invalid milestone: " + e.getMessage(), e);
            }
        });
        long actual = national.get() == null ? -1 : Money.toCents(national.get().totalUsd());
        Milestone m = crossing.get();
        return new Verification(expectedCents, actual, expectedRejected, rejected[0],
                expectedCrossing, m == null ? null : m.declarationId(),
                m == null ? null : m.crossedAt().toLocalDate() + " " + m.crossedAtLocalTime(), orderGivenUp(jvms));
    }

    /** The warnings of stage 2 giving up acceptance order, in the instances' logs. */
    private static int orderGivenUp(List<ChildJvm> jvms) throws IOException {
        int n = 0;
        for (ChildJvm jvm : jvms) {
            try (Stream<String> lines = Files.lines(jvm.log())) {
                n += (int) lines.filter(l -> l.contains(Inbox.ORDER_GIVEN_UP)).count();
            }
        }
        return n;
    }

    static Report.Memory memory(List<ChildJvm> jvms, PipelineInstances pipelines, String run, double fraction) {
        long heap = 0;
        long rss = 0;
        long state = 0;
        for (int i = 0; i < jvms.size(); i++) {
            heap += jvms.get(i).liveHeapBytes();
            rss += jvms.get(i).rssBytes();
            state += treeSize(pipelines.stateDir(run, i));
        }
        return new Report.Memory(fraction, heap, rss, state);
    }

    private void latency(PipelineInstances pipelines, String bootstrap) throws Exception {
        Duration warmUp = Duration.ofSeconds(10);
        LatencyRun latency = new LatencyRun(bootstrap, latencyRate, warmUp, Duration.ofSeconds(latencySeconds));
        String declarationsTopic = "bench-latency.declarations";
        String ratesTopic = "bench-latency.rates";
        Map<String, String> config = pipelines.config("latency", declarationsTopic, ratesTopic);
        config.put("milestones.thresholds.NATIONAL.KR", latency.thresholds());
        config.put("milestones.monthly-records", "false");
        latency.publishRates(ratesTopic);
        log.info("Latency: {} declarations at {}/s", latency.declarations(), latencyRate);
        try (ChildJvm jvm = pipelines.start("latency", 0, config)) {
            awaitHealthy(jvm, config);
            LatencyRun.Result r = latency.run(declarationsTopic, config.get("topics.totals"), config.get("topics.milestones"),
                    Duration.ofSeconds(60));
            report.latency(latencyRate, latencySeconds, r);
        }
    }

    /** Waits until the instance's streams are RUNNING (its /health answers 200), so start-up is not latency. */
    private static void awaitHealthy(ChildJvm jvm, Map<String, String> config) throws InterruptedException {
        // The port is in the instance's own file; the child logs it too, but the file is simpler to read.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            jvm.requireAlive();
            if (jvm.tail(400).contains("-> RUNNING")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(jvm.name() + " did not reach RUNNING:\n" + jvm.tail(30));
    }

    private void codec() throws Exception {
        log.info("Codec: JMH, parse and validate one declaration");
        var options = new OptionsBuilder().include(CodecBenchmark.class.getName()).forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend(PipelineInstances.HEAP, PipelineInstances.GC).build();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : new Runner(options).run()) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1),
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        report.codec(scores);
    }

    /** Waits for the internal topic {@code app...suffix} Kafka Streams creates at start and returns its name. */
    static String awaitTopic(Admin admin, String app, String suffix, ChildJvm jvm) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            jvm.requireAlive();
            for (String t : admin.listTopics().names().get()) {
                if (t.startsWith(app + "-") && t.endsWith(suffix)) {
                    return t;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no topic " + app + "-*" + suffix + " after 2 minutes:\n" + jvm.tail(30));
    }

    static long treeSize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a RocksDB file compacted away while we walked
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
