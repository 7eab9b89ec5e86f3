package io.exportcounter.benchmarks;

import io.exportcounter.contract.Money;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The section of docs/benchmarks.md that {@code bin/benchmarks --scenarios year} writes, from one {@link YearRun}. */
final class YearReport {
    static final MarkedSection SECTION = new MarkedSection("<!-- year:begin (written by bin/benchmarks --scenarios year) -->",
            "<!-- year:end -->");
    static final double TARGET_RATE = 100_000;
    static final long TARGET_HEAP = 1L << 30;
    static final long TARGET_RESTORE_SECONDS = 180;

    private YearReport() {
    }

    static String markdown(YearRun.Result r, Machine machine) {
        StringBuilder b = new StringBuilder("## A year at scale\n\n");
        b.append(String.format(Locale.ROOT, "One run of `bin/benchmarks --scenarios year` on %s: a calibrated 2025 of %,d "
                        + "declarations (seed 2025, %d partitions), on %s, %d cores, %s; pipeline JVM %s %s. Every figure below "
                        + "comes from that run.%n%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                r.produced().count(io.exportcounter.simulator.SimEvent.Kind.ACCEPT) + r.lastDay().count(io.exportcounter.simulator.SimEvent.Kind.ACCEPT),
                BenchmarkMain.PARTITIONS, machine.cpu(), machine.cores(), Report.bytes(machine.memoryBytes()),
                PipelineInstances.HEAP, PipelineInstances.GC));
        b.append("| measurement | figure | target |\n|---|---|---|\n");
        row(b, "Input: the year but its last day, produced first", String.format(Locale.ROOT, "%,d records in %.0f s (%,.0f/s)",
                r.produced().recordCount(), r.produceTime().toMillis() / 1000.0,
                r.produced().recordCount() / (r.produceTime().toMillis() / 1000.0)), "");
        row(b, "Counted by one instance from the start, whole year", String.format(Locale.ROOT, "%,.0f declarations/s "
                        + "(%,d records in %.0f s)", r.count().perSecond(), r.count().records(), r.count().elapsed().toMillis() / 1000.0),
                met(r.count().perSecond() >= TARGET_RATE) + " ≥ 100,000/s");
        row(b, "Rate per tenth of the year (records/s)", tenths(r), "");
        row(b, "Totals", r.check().toString(), r.check().exact() && r.check().crossingRight() ? "met: exact, $700B as planned" : "**not met**");
        if (r.half() != null) {
            row(b, "Live heap after a full GC: half-way / end", Report.bytes(r.half().liveHeap()) + " / " + Report.bytes(r.end().liveHeap()),
                    met(Math.max(r.half().liveHeap(), r.end().liveHeap()) <= TARGET_HEAP) + " ≤ 1 GiB");
            row(b, "RSS: half-way / end", Report.bytes(r.half().rss()) + " / " + Report.bytes(r.end().rss()), "");
            row(b, "State directory: half-way / end", Report.bytes(r.half().state()) + " / " + Report.bytes(r.end().state()), "");
        }
        YearRun.Sizes s = r.sizes();
        row(b, "On the broker's disk: input / changelogs / repartition / the pipeline's own topics",
                Report.bytes(s.sum(t -> t.equals(YearRun.DECLARATIONS) || t.equals(YearRun.RATES))) + " / "
                        + Report.bytes(s.sum(t -> t.endsWith("-changelog"))) + " / "
                        + Report.bytes(s.sum(t -> t.endsWith("-repartition"))) + " / "
                        + Report.bytes(s.sum(t -> t.startsWith("bench-" + YearRun.RUN + "."))), "");
        row(b, "Largest changelogs", largest(s, 4), "");
        YearRun.Restore x = r.restore();
        row(b, "Lost state directory: restart to RUNNING", seconds(x.toRunning()),
                met(x.toRunning().toSeconds() < TARGET_RESTORE_SECONDS) + " < 3 min");
        row(b, "Lost state directory: restored from changelogs", String.format(Locale.ROOT, "%,d records of %d store partitions "
                + "in %.1f s (%,.0f records/s)", x.records(), x.storePartitions(), x.seconds(), x.records() / Math.max(0.001, x.seconds())), "");
        row(b, "Then the last day sent: counting again / caught up, after the sending", seconds(x.toCountAgain()) + " / " + seconds(x.toCaughtUp()), "");
        row(b, "The year's total after the last day", Money.format(r.finalCents()) + (r.finalCents() == r.expectedFinalCents()
                ? " (exact)" : " (**expected " + Money.format(r.expectedFinalCents()) + "**)"), "");
        row(b, "API during the restart (`GET /api/v1/totals/2025` every 100 ms): answers by kind", answers(x.answers().counts())
                + (x.answers().firstFresh() == null ? "" : "; first fresh answer " + seconds(x.answers().firstFresh())
                + " after the restart"), x.answers().counts().keySet().stream().allMatch(k -> k.startsWith("200") || k.equals("503")
                || k.equals("no answer")) ? "met: no 5xx but 503" : "**not met**");
        YearRun.Takeover t = r.takeover();
        row(b, "Counted by two instances with a standby, whole year", String.format(Locale.ROOT, "%,.0f declarations/s "
                        + "(%,d records in %.0f s); %s", t.count().perSecond(), t.count().records(),
                t.count().elapsed().toMillis() / 1000.0, t.check()), String.format(Locale.ROOT, "×%.2f of one instance",
                t.count().perSecond() / r.count().perSecond()));
        row(b, "Two instances at the end: live heap after a full GC / RSS / state directories, together",
                Report.bytes(t.end().liveHeap()) + " / " + Report.bytes(t.end().rss()) + " / " + Report.bytes(t.end().state()), "");
        row(b, "Stage-2 instance SIGKILLed, " + t.probes() + " declarations sent: the standby's instance counting again / caught up",
                seconds(t.toCountAgain()) + " / " + seconds(t.toCaughtUp()) + " after the kill; " + t.restoreLine(),
                met(t.toCaughtUp().toSeconds() < 30) + " < 30 s");
        row(b, "API of the other instance meanwhile: answers by kind", answers(t.answers().counts()),
                t.answers().counts().keySet().stream().allMatch(k -> k.startsWith("200") || k.equals("503"))
                        ? "met: no 5xx but 503" : "**not met**");
        b.append('\n');
        b.append("""
                How: the input is produced first with `simulate --until 2025-12-31T00:00+09:00`'s options, unpaced; the instance \
                (`export-counter pipeline`, its own JVM) counts it from the start; progress is the group's committed offsets on \
                the broker, and a tenth's rate is its records over the time between the commits that passed it. Heap, RSS and \
                state as in the table above (a full GC before each heap reading). Broker sizes are its log directories by \
                topic. Then the instance is stopped (SIGTERM), its state directory deleted and it is started again: "to \
                RUNNING" is from the start to its streams logging RUNNING, the restore figures are its own log line \
                (`RestoreLog` lines up to RUNNING, added up), and the last day (`--from 2025-12-31T00:00+09:00`) is sent once \
                it runs: from the end of the sending, "counting again" is the first answer of the API with another total, \
                "caught up" the first with the year's final total. Last, \
                two instances (standby replicas 1, session timeout 6 s) count the whole year under a new application id; \
                ten seconds after they caught up, the one holding stage 2 (`totalsOwner` of `/api/v1/status`) is \
                SIGKILLed and 100 declarations of $1,000.00 are sent at once: "counting again" and "caught up" are the \
                other instance's API answers, from the kill.
                """);
        return b.toString();
    }

    private static String tenths(YearRun.Result r) {
        StringJoiner j = new StringJoiner(" · ");
        long prevRecords = 0;
        double prevSeconds = 0;
        for (YearRun.Tenth t : r.tenths()) {
            double sec = t.since().toMillis() / 1000.0;
            j.add(String.format(Locale.ROOT, "%d: %,.0f", t.tenth(), (t.records() - prevRecords) / Math.max(0.001, sec - prevSeconds)));
            prevRecords = t.records();
            prevSeconds = sec;
        }
        double total = r.count().elapsed().toMillis() / 1000.0;
        j.add(String.format(Locale.ROOT, "10: %,.0f", (r.count().records() - prevRecords) / Math.max(0.001, total - prevSeconds)));
        return j.toString();
    }

    private static String largest(YearRun.Sizes s, int n) {
        StringJoiner j = new StringJoiner(", ");
        s.bytesByTopic().entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                .sorted((a, c) -> Long.compare(c.getValue(), a.getValue())).limit(n)
                .forEach(e -> j.add("`" + e.getKey().replace("bench-" + YearRun.RUN + "-", "") + "` " + Report.bytes(e.getValue())));
        return j.toString();
    }

    private static String answers(Map<String, Long> counts) {
        StringJoiner j = new StringJoiner(", ");
        counts.forEach((k, v) -> j.add(k + ": " + v));
        return j.toString();
    }

    private static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void row(StringBuilder b, String what, String figure, String target) {
        b.append("| ").append(what).append(" | ").append(figure).append(" | ").append(target).append(" |\n");
    }

    private static String met(boolean met) {
        return met ? "met" : "**not met**";
    }
}
