package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.order.Inbox;
import io.exportcounter.pipeline.order.InputEnds;
import io.exportcounter.pipeline.order.StageOnePace;
import io.exportcounter.pipeline.order.StageOnePacer;
import io.exportcounter.pipeline.routing.Routed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 2, one task per reporting country: applies the change batches of every stage-1 task, entry by entry, to
 * all totals of the country (annual and monthly; national, item group, destination, region, exporter size), keeps
 * the distinct-exporter counts, hands the totals milestones watch to the milestone rules, and emits each total it
 * moved once per round.
 *
 * <p>Its parts: the {@link Inbox} holds the batches and releases, in acceptance order, what every stage-1 task has
 * read past; the {@link TotalsBook} keeps the totals; the {@link ExporterYearCache} the exporter-years; the
 * {@link MilestoneWatch} the milestone hook; the {@link StageOnePacer} says how far the stage-1 tasks may read ahead.
 *
 * <p>A punctuator that runs every {@value #ROUND_INTERVAL_MS} ms applies what the inbox releases as one round,
 * to working copies written back within the same punctuation, so no commit ever sees half a round.
 */
public final class TotalsProcessor implements Processor<byte[], byte[], byte[], Routed> {
    public static final String TOTALS_STORE = "totals";
    public static final String EXPORTER_ACTIVITY_STORE = "exporter-years";
    public static final String INBOX_STORE = "totals-inbox";
    /** What was counted into each year of each forecast total (ForecastKeeper), by {@code year|DIMENSION|MEMBER}. */
    public static final String FORECAST_COUNTED_STORE = "forecast-counted";
    /** The latest forecast of each forecast total, by {@code year|DIMENSION|MEMBER}: contract JSON, for the API. */
    public static final String FORECASTS_STORE = "forecasts";
    /**
     * Rounds start at most this often. Each round writes every total it moved once, so under a heavy load the totals
     * topic gets at most this many versions of a total per second, whatever the declaration rate; at a live pace it
     * adds at most this much to the latency.
     */
    public static final long ROUND_INTERVAL_MS = 25;
    /**
     * Entries waiting for lagging stage-1 tasks at most (some 250 bytes of heap each); past it a round applies them
     * without waiting any longer.
     */
    static final long MAX_WAITING = 400_000;
    /**
     * Exporter-years kept in memory between rounds at most (about 300 bytes each): two years of the design's
     * population of about 100,000 exporters.
     */
    static final int EXPORTER_YEARS_IN_MEMORY = 250_000;
    private static final byte[] PACE_KEY = "pace".getBytes(StandardCharsets.UTF_8);

    private final ContractJson json = ContractJson.instance();
    private final String country;
    private final ZoneId zone;
    private final PeriodCalendar calendar;
    private final MilestoneRules rules;
    private final PipelineStats stats;
    private final IntSupplier declarationPartitions;
    private final Inbox inbox;
    private final StageOnePacer pacer;
    private final ExporterYearCache exporterYears;
    private final TotalsBook book;
    private final MilestoneWatch watch;
    private final ForecastKeeper forecasts;
    private final int[] exporterMoves = new int[2];

    private ProcessorContext<byte[], Routed> context;
    /** When the current round started: what counting delays and milestones' detectedAt are measured from. */
    private long roundMs;
    /** The period maps of the calendar's current year and month (the calendar keeps its strings while in a month). */
    private String lastYear;
    private Map<String, TotalState>[] lastYearTotals;
    private Map<String, ExporterYear> lastYearExporters;
    private String lastMonth;
    private Map<String, TotalState>[] lastMonthTotals;

    /** @param declarationPartitions partitions of the declarations topic, asked at each init (0: not known) */
    public TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions) {
        this(country, zone, rules, stats, declarationPartitions, MAX_WAITING, ForecastKeeper.Plan.none(zone));
    }

    /**
     * @param maxWaiting entries that may wait for lagging stage-1 tasks ({@code order.max-waiting-entries})
     * @param forecasts  which totals are forecast, and how
     */
    public TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            long maxWaiting, ForecastKeeper.Plan forecasts) {
        this(country, zone, rules, stats, declarationPartitions, maxWaiting, forecasts, InputEnds.NONE);
    }

    /** @param inputEnds where the declarations topic's partitions end, to check idle claims against (see StageOnePositions) */
    public TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            long maxWaiting, ForecastKeeper.Plan forecasts, InputEnds inputEnds) {
        this(country, zone, rules, stats, declarationPartitions, EXPORTER_YEARS_IN_MEMORY, maxWaiting, forecasts, inputEnds);
    }

    /**
     * @param exporterYearsCap exporter-years kept in memory between rounds (tests use a small one)
     * @param maxWaiting       entries that may wait for lagging stage-1 tasks (tests use a small one)
     */
    TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            int exporterYearsCap, long maxWaiting) {
        this(country, zone, rules, stats, declarationPartitions, exporterYearsCap, maxWaiting, InputEnds.NONE);
    }

    /** As above, with idle claims checked against {@code inputEnds}. */
    TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            int exporterYearsCap, long maxWaiting, InputEnds inputEnds) {
        this(country, zone, rules, stats, declarationPartitions, exporterYearsCap, maxWaiting, ForecastKeeper.Plan.none(zone),
                inputEnds);
    }

    private TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            int exporterYearsCap, long maxWaiting, ForecastKeeper.Plan forecasts, InputEnds inputEnds) {
        this.country = country;
        this.zone = zone;
        this.calendar = new PeriodCalendar(zone);
        this.rules = rules;
        this.stats = stats;
        this.declarationPartitions = declarationPartitions;
        this.inbox = new Inbox(maxWaiting, stats, inputEnds);
        this.pacer = new StageOnePacer(maxWaiting);
        this.exporterYears = new ExporterYearCache(exporterYearsCap);
        this.book = new TotalsBook(exporterYears);
        this.watch = new MilestoneWatch(rules);
        this.forecasts = new ForecastKeeper(forecasts);
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        inbox.open(context.getStateStore(INBOX_STORE), declarationPartitions.getAsInt());
        pacer.reset();
        // After a restart, a rebalance or an aborted transaction the stores are what counts: the in-memory copies
        // start again from them.
        exporterYears.open(context.getStateStore(EXPORTER_ACTIVITY_STORE));
        book.open(context.getStateStore(TOTALS_STORE));
        if (forecasts.forecastsAny()) {
            forecasts.open(context.getStateStore(FORECAST_COUNTED_STORE), context.getStateStore(FORECASTS_STORE));
        }
        lastYear = null;
        lastMonth = null;
        // Milestones are stamped with detectedAt: a record time of last year (crossedAt in a replay) would let a
        // topic with time-based retention delete them at once.
        watch.open(new MilestoneDetector(rules, zone, context.getStateStore(MilestoneDetector.MILESTONES_STORE), book,
                m -> {
                    context.forward(new Record<>(m.milestoneId().getBytes(StandardCharsets.UTF_8),
                            Routed.of(Routed.Route.MILESTONE, json.write(m)), m.detectedAt().toEpochMilli()));
                    stats.milestoneEmitted(m.kind(), m.type());
                }));
        context.schedule(Duration.ofMillis(ROUND_INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
            round();
            // Every tick, not only after a round: a total that moved within the interval gets its forecast once it has passed.
            forecasts.roundDone(now, f -> context.forward(new Record<>(f.key().getBytes(StandardCharsets.UTF_8),
                    Routed.of(Routed.Route.FORECAST, json.write(f)), now)));
            pace(now);
        });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        inbox.put(record.value(), record.timestamp(), context.currentSystemTimeMs());
    }

    /** Applies, as one round and in acceptance order, what the inbox releases; the rest waits for a later round. */
    private void round() {
        long now = context.currentSystemTimeMs();
        List<ChangeEntry> entries = inbox.release(now);
        if (entries == null) {
            return;
        }
        if (!entries.isEmpty()) {
            roundMs = now;
            for (ChangeEntry e : entries) {
                apply(e);
            }
            exporterYears.writeBack();
            long timestamp = inbox.latestTimestamp();
            book.writeBack(t -> context.forward(new Record<>(t.key.getBytes(StandardCharsets.UTF_8),
                    Routed.of(Routed.Route.TOTAL, json.write(t.toContract(t.key, zone))), timestamp)));
            watch.roundApplied(now);
        }
        inbox.roundDone();
    }

    /** Tells the stage-1 tasks of every instance how far they may read ahead, when there is something to say. */
    private void pace(long now) {
        StageOnePace pace = pacer.next(now, inbox.waiting(), inbox.watermark(), Math.max(declarationPartitions.getAsInt(), 1));
        if (pace != null) {
            context.forward(new Record<>(PACE_KEY, Routed.of(Routed.Route.PACE, pace.encode()), now));
        }
    }

    private void apply(ChangeEntry e) {
        watch.entryStarts();
        if (e.removed() != null) {
            applyContribution(e.removed(), -1);
        }
        if (e.added() != null) {
            applyContribution(e.added(), 1);
            stats.counted(roundMs, e.added().acceptedAt());
            book.counted(e.added().acceptedAt());
        }
        watch.entryApplied(e, roundMs);
        forecasts.apply(e);
    }

    private void applyContribution(Contribution c, int sign) {
        calendar.locate(c.acceptedAt());
        String year = calendar.year();
        String month = calendar.month();
        if (year != lastYear) {
            lastYear = year;
            lastYearTotals = book.period(year);
            lastYearExporters = exporterYears.ofYear(year);
        }
        if (month != lastMonth) {
            lastMonth = month;
            lastMonthTotals = book.period(month);
        }
        ExporterYear activity = exporterYears.get(year, lastYearExporters, c.exporterId());
        applyToPeriod(year, lastYearTotals, 0, c, sign, activity);
        applyToPeriod(month, lastMonthTotals, calendar.monthOfYear(), c, sign, activity);
    }

    /** @param periodIndex 0 for the year, else the month (1 to 12) */
    private void applyToPeriod(String period, Map<String, TotalState>[] periodTotals, int periodIndex, Contribution c, int sign,
            ExporterYear activity) {
        boolean annual = periodIndex == 0;
        long cents = sign * c.cents();
        Instant at = c.acceptedAt();
        TotalState national = add(periodTotals, period, annual, Dimension.NATIONAL, country, cents, sign, at);
        add(periodTotals, period, annual, Dimension.CATEGORY, c.category(), cents, sign, at);
        add(periodTotals, period, annual, Dimension.DESTINATION, c.destination(), cents, sign, at);
        add(periodTotals, period, annual, Dimension.REGION, c.region(), cents, sign, at);
        TotalState size = add(periodTotals, period, annual, Dimension.EXPORTER_SIZE, c.exporterSize().name(), cents, sign, at);

        // Distinct exporters: the exporter count of a total moves only when the exporter's live declarations in it
        // go between 0 and 1.
        activity.add(periodIndex, c.exporterSize(), sign, exporterMoves);
        national.exporters += exporterMoves[0];
        size.exporters += exporterMoves[1];
        if (!annual && (exporterMoves[0] != 0 || exporterMoves[1] != 0)) {
            exporterYears.monthMoved(lastYear, periodIndex, c.exporterSize(), exporterMoves, activity);
        }
    }

    private TotalState add(Map<String, TotalState>[] periodTotals, String period, boolean annual, Dimension dimension,
            String member, long cents, int sign, Instant at) {
        TotalState s = book.moving(periodTotals, period, dimension, member);
        watch.touch(period, annual, dimension, member, s);
        s.add(cents, sign, at);
        return s;
    }

    /** Exporter-years in memory now (for tests). */
    int exporterYearsInMemory() {
        return exporterYears.inMemory();
    }

    @Override
    public void close() {
        stats.heldForOrder(0);
    }
}
