package io.exportcounter.benchmarks;

import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulationSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** docs/benchmarks.md: what was measured, on what, with which settings, and the figures as ratios. */
final class Report {
    /** DOMAIN.md's design volume, to which memory is extrapolated. */
    static final long YEAR = 50_000_000L;
    static final double TARGET_THROUGHPUT = 100_000;
    static final double TARGET_P99_MS = 250;
    static final long TARGET_HEAP = 1L << 30;

    record Memory(double fraction, long liveHeap, long rss, long state) {
    }

    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Machine machine;
    private String settings;
    private String input = "";
    private String loadAfter;
    private double oneInstance;

    void machine(Machine m) {
        this.machine = m;
    }

    void settings(int declarations, int partitions, String heap, Map<String, String> overrides) {
        settings = String.format(Locale.ROOT, "%,d simulated declarations of 2025 (seed 2025) on %d partitions; Kafka %s; "
                        + "every measured program in a JVM of its own with %s and the parallel collector (as bin/export-counter "
                        + "runs the pipeline); pipeline with `exactly_once_v2` and the "
                        + "settings of config/pipeline.properties%s.", declarations, partitions,
                kafkaVersion(), heap,
                overrides.isEmpty() ? "" : " plus " + overrides);
    }

    void input(SimulationSummary s) {
        input = String.format(Locale.ROOT, "%,d records on the declarations topic (%,d accepted, %,d amended, %,d cancelled, "
                        + "%,d redelivered, %,d malformed) and %,d weekly rates, produced at %,.0f records/s",
                s.recordCount() - s.count(SimEvent.Kind.RATE), s.count(SimEvent.Kind.ACCEPT), s.count(SimEvent.Kind.AMEND),
                s.count(SimEvent.Kind.CANCEL), s.count(SimEvent.Kind.REDELIVERY), s.count(SimEvent.Kind.MALFORMED),
                s.count(SimEvent.Kind.RATE), s.recordsPerSecond());
    }

    void limit(CatchUp.Result r) {
        rows.add(row("Limit: plain `KafkaConsumer`, read + parse + validate", rate(r), cpu(r), "1", "", ""));
    }

    void baseline(CatchUp.Result r, CatchUp.Result limit) {
        rows.add(row("Baseline: textbook one-sum DSL aggregation, exactly-once", rate(r), cpu(r), ratio(r, limit), "1", ""));
    }

    void throughput(String run, int instances, CatchUp.Result r, CatchUp.Result limit, CatchUp.Result baseline,
                    Memory half, Memory end, BenchmarkMain.Verification check) {
        String label = instances == 1 ? "Pipeline, 1 instance, all dimensions, exactly-once"
                : "Pipeline, " + instances + " instances on the same machine";
        String target = instances == 1 ? met(r.perSecond() >= TARGET_THROUGHPUT) + " ≥ 100,000/s"
                : String.format(Locale.ROOT, "×%.2f of 1 instance", oneInstance == 0 ? Double.NaN : r.perSecond() / oneInstance);
        if (instances == 1) {
            oneInstance = r.perSecond();
        }
        rows.add(row(label, rate(r), cpu(r), ratio(r, limit), ratio(r, baseline), target));
        notes.add(String.format(Locale.ROOT, "- **%s** (%d instance%s): %,d records in %.1f s; totals %s.", run, instances,
                instances == 1 ? "" : "s", r.records(), r.elapsed().toMillis() / 1000.0, check));
        if (half != null && end != null) {
            double perDeclarationHeap = (end.liveHeap() - half.liveHeap()) / (r.records() * (1 - half.fraction()));
            long heapYear = (long) (end.liveHeap() + Math.max(0, perDeclarationHeap) * (YEAR - r.records()));
            long stateYear = (long) ((double) end.state() / r.records() * YEAR);
            notes.add(String.format(Locale.ROOT, "  - Memory of %s: live heap after a full GC %s at %.0f%% and %s at the end; "
                            + "RSS %s and %s; state directories %s and %s. Extrapolated to a %s-declaration year "
                            + "(live heap linear in its growth between the two samples; state in proportion): heap %s (%s 1 GiB), "
                            + "state %s. RSS is not extrapolated: it follows the heap the JVM has taken (up to -Xmx), "
                            + "RocksDB's bounded memtables and block cache and the JVM's own memory, not the number of "
                            + "declarations.", instances == 1 ? "the instance" : "both instances together",
                    bytes(half.liveHeap()), half.fraction() * 100, bytes(end.liveHeap()), bytes(half.rss()), bytes(end.rss()),
                    bytes(half.state()), bytes(end.state()), "50-million", bytes(heapYear), met(heapYear <= TARGET_HEAP),
                    bytes(stateYear)));
        }
    }

    void latency(int rate, int seconds, LatencyRun.Result r) {
        long p50 = LatencyRun.percentile(r.totalNanos(), 50);
        long p99 = LatencyRun.percentile(r.totalNanos(), 99);
        long max = LatencyRun.percentile(r.totalNanos(), 100);
        rows.add(row(String.format(Locale.ROOT, "Latency to the updated total at %,d/s: p50 / p99 / max", rate),
                ms(p50) + " / " + ms(p99) + " / " + ms(max), "", "", "", met(p99 / 1e6 <= TARGET_P99_MS) + " p99 ≤ 250 ms"));
        long m50 = LatencyRun.percentile(r.milestoneNanos(), 50);
        long m99 = LatencyRun.percentile(r.milestoneNanos(), 99);
        long mmax = LatencyRun.percentile(r.milestoneNanos(), 100);
        rows.add(row(String.format(Locale.ROOT, "Latency to the milestone (%d milestones): p50 / p99 / max", r.milestoneNanos().length),
                ms(m50) + " / " + ms(m99) + " / " + ms(mmax), "", "", "", met(m99 / 1e6 <= TARGET_P99_MS) + " p99 ≤ 250 ms"));
        notes.add(String.format(Locale.ROOT, "- **latency**: %,d declarations sent at %,.0f/s (%d s measured after 10 s of warm-up), "
                + "produced with `linger.ms=0`, `acks=all`; visible to a `read_committed` consumer.", r.sent(), r.achievedRate(), seconds));
    }

    void codec(Map<String, double[]> scores) {
        double[] contract = scores.get("contractParseAndValidate");
        double[] jackson = scores.get("baselineJacksonReadTree");
        if (contract != null && jackson != null) {
            rows.add(row("JMH: Jackson `readTree` of one declaration (baseline)",
                    String.format(Locale.ROOT, "%.0f ± %.0f ns", jackson[0], jackson[1]), "", "", "1", ""));
            rows.add(row("JMH: contract codec, parse + validate one declaration",
                    String.format(Locale.ROOT, "%.0f ± %.0f ns", contract[0], contract[1]), "", "",
                    String.format(Locale.ROOT, "×%.2f the time", contract[0] / jackson[0]), ""));
        }
    }

    /** The part of the page this suite writes; the rest of docs/benchmarks.md is written by hand or by other scenarios. */
    static final MarkedSection SECTION = new MarkedSection("<!-- suite:begin (written by bin/benchmarks) -->", "<!-- suite:end -->");

    void write(Path out) {
        loadAfter = Machine.load();
        StringBuilder b = new StringBuilder();
        b.append("Written by `bin/benchmarks` (see the end of this page) on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(". ")
                .append("Every figure below comes from that one run. The machines this project is built on are shared and noisy, "
                        + "so figures are also given as ratios to a limit and a baseline measured in the same run, on the same "
                        + "broker and the same input topic.\n\n");
        b.append("## Machine\n\n");
        b.append(String.format(Locale.ROOT, "- CPU: %s, %d cores visible to the JVM; memory %s%n", machine.cpu(), machine.cores(),
                bytes(machine.memoryBytes())));
        b.append("- ").append(machine.os()).append("; ").append(machine.jvm()).append('\n');
        b.append("- Load average before: ").append(machine.loadBefore()).append("; after: ").append(loadAfter).append('\n');
        b.append("- Broker: one embedded KRaft node (the project's `embedded-kafka`) in the benchmark's JVM, on the same machine.\n\n");
        b.append("## Settings\n\n").append(settings).append('\n');
        if (!input.isEmpty()) {
            b.append("\nInput: ").append(input).append(".\n");
        }
        b.append("\n## Figures\n\n");
        b.append("| measurement | figure | CPU µs per record: program + broker | ÷ limit | ÷ baseline | target |\n"
                + "|---|---|---|---|---|---|\n");
        rows.forEach(r -> b.append(r).append('\n'));
        b.append('\n');
        notes.forEach(n -> b.append(n).append('\n'));
        try {
            SECTION.write(out, "Benchmarks", b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kafka-clients version on the class path, from the file the jar ships for that purpose. */
    private static String kafkaVersion() {
        try (var in = Report.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown)");
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    private static String row(String what, String figure, String cpu, String limit, String baseline, String target) {
        return "| " + what + " | " + figure + " | " + cpu + " | " + limit + " | " + baseline + " | " + target + " |";
    }

    private static String cpu(CatchUp.Result r) {
        if (r.cpuNanos() < 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f + %.1f", r.cpuMicrosPerRecord(), r.brokerCpuMicrosPerRecord());
    }

    private static String rate(CatchUp.Result r) {
        return String.format(Locale.ROOT, "%,.0f /s", r.perSecond());
    }

    private static String ratio(CatchUp.Result r, CatchUp.Result base) {
        return base == null ? "" : String.format(Locale.ROOT, "×%.2f", r.perSecond() / base.perSecond());
    }

    private static String met(boolean met) {
        return met ? "met:" : "**not met**:";
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "n/a";
        }
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", b / (double) (1L << 20));
    }
}
