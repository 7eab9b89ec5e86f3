package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.PipelineStats;
import io.exportcounter.pipeline.Routed;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.declarations.StageOneLeads;
import io.exportcounter.pipeline.declarations.StageOnePace;
import io.exportcounter.pipeline.milestones.CountedTotals;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2, one task per reporting country: applies the change batches of every stage-1 task, entry by
 * entry, to all totals of the country (annual and monthly; national, item group, destination, region,
 * exporter size), keeps the distinct-exporter counts, and emits each total it moved once per round.
 * Milestones are detected entry by entry, so the declaration that crossed a threshold is the one named.
 *
 * <p>Batches are not applied as they come: {@code process} puts each in a changelogged inbox, and a
 * punctuator that runs every {@value #ROUND_INTERVAL_MS} ms applies everything in the inbox as one round, with the
 * entries of all batches merged in acceptance order (the entries of one declaration keep their
 * order). Batches that stage-1 tasks flushed in the same round commit in one transaction and arrive
 * together, so a declaration accepted at 1:03 p.m. is applied before one accepted at 1:05 p.m. even
 * when another task flushed the later one first. The inbox makes this safe: a commit between the
 * put and the round keeps the batch in the changelog, and within one commit interval the put and
 * the delete cancel out in the store cache, so the batches themselves rarely reach the changelog.
 *
 * <p>A round is applied to working copies and written back within one punctuation, so no commit can
 * ever see half a round.
 */
public final class TotalsProcessor implements Processor<byte[], byte[], byte[], Routed> {
    private static final Logger log = LoggerFactory.getLogger(TotalsProcessor.class);

    public static final String TOTALS_STORE = "totals";
    public static final String EXPORTER_ACTIVITY_STORE = "exporter-years";
    /**
     * Rounds start at most this often. Each round writes every total it moved once, so under a heavy load
     * the totals topic gets at most this many versions of a total per second, whatever the declaration
     * rate; at a live pace it adds at most this much to the latency.
     */
    public static final long ROUND_INTERVAL_MS = 25;
    static final long PACE_MIN_INTERVAL_MS = 100;
    static final long PACE_REPEAT_MS = 1_000;
    private static final byte[] PACE_KEY = "pace".getBytes(StandardCharsets.UTF_8);
    public static final String INBOX_STORE = "totals-inbox";
    /** In the warning logged each time stage 2 stops waiting for lagging stage-1 tasks (the benchmark counts them). */
    public static final String ORDER_GIVEN_UP = "applying them without waiting any longer";
    /**
     * Entries waiting for lagging stage-1 tasks at most (some 250 bytes of heap each); past it a round
     * applies them without waiting any longer.
     */
    static final long MAX_WAITING = 400_000;
    /** Inbox key of the stage-1 positions; batches have keys from 0 up, their applied-entry sets from -2 down. */
    static final long POSITIONS_KEY = -1L;

    private final ContractJson json = ContractJson.instance();
    private final String country;
    private final ZoneId zone;
    private final PeriodCalendar calendar;
    private final MilestoneRules rules;
    private final PipelineStats stats;

    private ProcessorContext<byte[], Routed> context;
    private MilestoneDetector milestones;
    private long batchTimeMs;
    private KeyValueStore<String, TotalState> totals;
    private KeyValueStore<String, byte[]> exporterActivity;
    private KeyValueStore<Long, byte[]> inbox;
    private long nextInboxKey;
    private final StageOnePositions positions = new StageOnePositions();
    /** The watermark the last round used. */
    private Instant lastWatermark;
    private long inboxTimestamp;

    /**
     * At most this many exporter-years stay in memory between rounds (about 300 bytes each): most
     * declarations come from exporters seen before, and a store read for each (through the record cache's
     * sorted map, then RocksDB) was a fifth of stage 2's time. Two years of the design's population of
     * about 100,000 exporters; beyond it the least recently used are dropped after a round, and read back
     * from the store (the durable copy, written in every round that moves one) when needed again.
     */
    static final int EXPORTER_YEARS_IN_MEMORY = 250_000;

    /**
     * Every total of the country, by period, then dimension, then member. Loaded from the store at init
     * (a few thousand totals a year); the store stays the durable copy, written in the round that moves a
     * total. Lookups by parts need no key string per declaration and dimension.
     */
    private final Map<String, Map<String, TotalState>[]> byPeriod = new HashMap<>();
    /** Totals the current round moved, in first-moved order. */
    private final List<TotalState> moved = new ArrayList<>();
    /**
     * Exporter-years in memory, by year, then exporter. A plain hash map per year: an access-ordered map
     * rewrote two neighbouring entries on every lookup, and a year-prefixed key cost a new string per
     * lookup. Recency is a round number kept in each entry, looked at only when the cap is passed.
     */
    private final Map<String, Map<String, ExporterYear>> exporterYears = new HashMap<>();
    private final int exporterYearsCap;
    private final long maxWaiting;
    private final IntSupplier declarationPartitions;
    private int exporterYearsInMemory;
    /**
     * Whether memory holds every exporter-year of the store: then one not in memory is new, and needs no store
     * read. True from an init that loaded them all (they fit under the cap) until the first eviction. A RocksDB
     * miss for each new exporter-year was a fifth of stage 2's time in a replay.
     */
    private boolean exporterYearsComplete;
    /** Counts rounds: an exporter-year's {@code lastRound} says when it was last used. */
    private long round;
    /** Exporter-years the current round moved, in first-moved order. */
    private final List<ExporterYear> movedActivity = new ArrayList<>();
    private final int[] exporterMoves = new int[2];
    /** The period maps of the calendar's current year and month (the calendar keeps its strings while it stays in a month). */
    private String lastYear;
    private Map<String, TotalState>[] lastYearTotals;
    private Map<String, ExporterYear> lastYearExporters;
    private String lastMonth;
    private Map<String, TotalState>[] lastMonthTotals;

    /** @param declarationPartitions partitions of the declarations topic, asked at each init (0: not known) */
    public TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions) {
        this(country, zone, rules, stats, declarationPartitions, MAX_WAITING);
    }

    /** @param maxWaiting entries that may wait for lagging stage-1 tasks ({@code order.max-waiting-entries}) */
    public TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            long maxWaiting) {
        this(country, zone, rules, stats, declarationPartitions, EXPORTER_YEARS_IN_MEMORY, maxWaiting);
    }

    /**
     * @param exporterYearsCap exporter-years kept in memory between rounds (tests use a small one)
     * @param maxWaiting       entries that may wait for lagging stage-1 tasks (tests use a small one)
     */
    TotalsProcessor(String country, ZoneId zone, MilestoneRules rules, PipelineStats stats, IntSupplier declarationPartitions,
            int exporterYearsCap, long maxWaiting) {
        if (exporterYearsCap < 1) {
            throw new IllegalArgumentException("exporterYearsCap must be at least 1, was " + exporterYearsCap);
        }
        this.exporterYearsCap = exporterYearsCap;
        this.maxWaiting = maxWaiting;
        this.declarationPartitions = declarationPartitions;
        this.country = country;
        this.zone = zone;
        this.calendar = new PeriodCalendar(zone);
        this.rules = rules;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.totals = context.getStateStore(TOTALS_STORE);
        this.exporterActivity = context.getStateStore(EXPORTER_ACTIVITY_STORE);
        this.inbox = context.getStateStore(INBOX_STORE);
        loadInbox();
        context.schedule(Duration.ofMillis(ROUND_INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
            applyInbox();
            pace(now);
        });
        paceSaid = null;
        pacing = false;
        // Milestones are stamped with detectedAt: a record time of last year (crossedAt in a replay)
        // would let a topic with time-based retention delete them at once.
        this.milestones = new MilestoneDetector(rules, zone, context.getStateStore(MilestoneDetector.MILESTONES_STORE),
                counted, m -> {
                    context.forward(new Record<>(m.milestoneId().getBytes(StandardCharsets.UTF_8),
                            Routed.of(Routed.Route.MILESTONE, json.write(m)), m.detectedAt().toEpochMilli()));
                    stats.milestoneEmitted(m.kind(), m.type());
                });
        // After a restart, a rebalance or an aborted transaction the stores are what counts: the in-memory
        // copies start again from them.
        byPeriod.clear();
        countedYears.clear();
        latestCounted = null;
        moved.clear();
        exporterYears.clear();
        exporterYearsInMemory = 0;
        loadExporterYears();
        movedActivity.clear();
        lastYear = null;
        lastMonth = null;
        try (KeyValueIterator<String, TotalState> it = totals.all()) {
            it.forEachRemaining(kv -> {
                String[] parts = kv.key.split("\\|", 3);
                Dimension dimension = Dimension.valueOf(parts[1]);
                TotalState s = kv.value;
                s.key = kv.key;
                periodTotals(parts[0])[dimension.ordinal()].put(parts[2], s);
                if (dimension == Dimension.NATIONAL && parts[0].length() == 4) {
                    latestCounted = later(latestCounted, s.asOf());
                }
            });
        }
        yearToDateExporters.rebuild(exporterActivity);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    /** The years of {@link #byPeriod}. */
    private final Set<String> countedYears = new TreeSet<>();
    private final Collection<String> countedYearsView = Collections.unmodifiableSet(countedYears);
    /** The latest acceptance time counted: when a quarter has closed, for year-to-date records. */
    private Instant latestCounted;
    /** Distinct exporters of each year to date, per quarter, for year-to-date records. */
    private final YearToDateExporters yearToDateExporters = new YearToDateExporters();

    /** What stage 2 has counted, as the milestone rules see it. */
    private final CountedTotals counted = new CountedTotals() {
        @Override
        public Long cents(String period, Dimension dimension, String member) {
            Map<String, TotalState>[] p = byPeriod.get(period);
            TotalState s = p == null ? null : p[dimension.ordinal()].get(member);
            return s == null ? null : s.cents();
        }

        @Override
        public Collection<String> countedYears() {
            return countedYearsView;
        }

        @Override
        public long exportersYearToDate(int year, int quarter, Dimension dimension, String member) {
            return yearToDateExporters.count(Integer.toString(year), quarter, dimension, member);
        }

        @Override
        public Instant latestCounted() {
            return latestCounted;
        }
    };

    @Override
    public void process(Record<byte[], byte[]> record) {
        inbox.put(nextInboxKey++, record.value());
        inboxTimestamp = Math.max(inboxTimestamp, record.timestamp());
    }

    /** What stage 2 last told the stage-1 tasks, and when; whether it asks them to keep within a quota. */
    private StageOnePace paceSaid;
    private long paceSaidMs;
    private boolean pacing;

    /**
     * Tells the stage-1 tasks of every instance the watermark, and how many entries past it each may have read (see
     * {@link StageOneLeads}). Only once a quarter of the cap of waiting entries ({@link #maxWaiting}) waits, or a
     * reading task has not said how far it has read (starting, or moving between instances: everything waits for
     * it), and until an eighth waits: each task then gets its share of three quarters of the cap, and the slowest has
     * nothing past the watermark, so what waits stays under the cap however unevenly the instances read. (A quota at
     * all times held back one instance's partitions for nothing and cost it a tenth of its throughput.) While it
     * paces, said when it changes, at most every {@value #PACE_MIN_INTERVAL_MS} ms, and every second; otherwise only
     * once, that there is no quota (the watermark alone holds nobody back, and it moves with every round).
     */
    private void pace(long now) {
        long waiting = unapplied.waiting();
        Instant w = positions.watermark(now);
        if (waiting > maxWaiting / 4 || w == Instant.MIN) {
            pacing = true;
        } else if (waiting < maxWaiting / 8) {
            pacing = false;
        }
        int partitions = Math.max(declarationPartitions.getAsInt(), 1);
        // A reading task that has not said how far it has read (starting, or moving between instances) holds every
        // entry back: then everything any task reads counts as past the watermark.
        long watermarkMs = w == null ? Long.MIN_VALUE : w == Instant.MIN ? StageOnePace.BEFORE_ANYTHING : w.toEpochMilli();
        StageOnePace pace = new StageOnePace(watermarkMs, pacing ? Math.max(1, maxWaiting * 3 / 4 / partitions) : Long.MAX_VALUE);
        boolean say = pacing
                ? (!pace.equals(paceSaid) && now - paceSaidMs >= PACE_MIN_INTERVAL_MS) || now - paceSaidMs >= PACE_REPEAT_MS
                : paceSaid == null || paceSaid.quota() != Long.MAX_VALUE;
        if (say) {
            context.forward(new Record<>(PACE_KEY, Routed.of(Routed.Route.PACE, pace.encode()), now));
            paceSaid = pace;
            paceSaidMs = now;
        }
    }

    /** Batches with entries still to apply, decoded, in arrival order. */
    private final InboxEntries unapplied = new InboxEntries();
    /** The highest inbox key read so far. */
    private long lastReadKey = -1;
    /** Whether the last round applied without waiting for lagging tasks because too much was waiting. */
    private boolean overWaitingCap;

    /** Inbox key of the bit set of a batch's applied entries: below {@link #POSITIONS_KEY}, never a batch key. */
    static long appliedKey(long batchKey) {
        return -2 - batchKey;
    }

    private void loadInbox() {
        unapplied.clear();
        lastReadKey = -1;
        Map<Long, BitSet> appliedSets = new HashMap<>();
        List<KeyValue<Long, byte[]>> batches = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = inbox.all()) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                if (kv.key >= 0) {
                    batches.add(kv);
                } else if (kv.key <= appliedKey(0)) {
                    // appliedKey is its own inverse: it maps an applied-set key back to its batch key.
                    appliedSets.put(appliedKey(kv.key), BitSet.valueOf(kv.value));
                }
            }
        }
        long now = context.currentSystemTimeMs();
        positions.restore(inbox.get(POSITIONS_KEY), now);
        positions.expect(declarationPartitions.getAsInt(), now);
        for (KeyValue<Long, byte[]> kv : batches) {
            readBatch(kv.key, kv.value, appliedSets.getOrDefault(kv.key, new BitSet()), now).appliedStored =
                    appliedSets.containsKey(kv.key);
        }
        nextInboxKey = Math.max(nextInboxKey, lastReadKey + 1);
        lastWatermark = null;
    }

    private InboxEntries.Batch readBatch(long key, byte[] value, BitSet applied, long now) {
        ChangeCodec.Batch batch = ChangeCodec.decode(value);
        positions.update(batch.position(), now);
        lastReadKey = Math.max(lastReadKey, key);
        return unapplied.add(key, batch.entries(), applied);
    }

    /**
     * Applies, as one round and in acceptance order, every entry in the inbox that every stage-1 task
     * still reading has read past; the others wait for a later round.
     */
    private void applyInbox() {
        long now = context.currentSystemTimeMs();
        boolean arrived = false;
        // Only what came since the last round; the rest is in memory. Reading from a key, not from the
        // start, also steps over no delete markers of applied batches.
        try (KeyValueIterator<Long, byte[]> it = inbox.range(lastReadKey + 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                readBatch(kv.key, kv.value, new BitSet(), now);
                arrived = true;
            }
        }
        Instant watermark = positions.watermark(now);
        if (unapplied.isEmpty() || (!arrived && Objects.equals(watermark, lastWatermark))) {
            // Nothing new since the last round, which applied all it could.
            return;
        }
        lastWatermark = watermark;
        List<ChangeEntry> entries = unapplied.release(watermark);
        // Counted after the release, so that what this watermark lets through does not count as waiting.
        if (unapplied.waiting() > maxWaiting && watermark != null) {
            // Memory and round time stay bounded: order gives way to a task lagging this far behind.
            if (!overWaitingCap) {
                stats.orderGivenUp();
                log.warn("Stage 2 holds {} change entries for stage-1 tasks that have read only up to {}; " + ORDER_GIVEN_UP
                        + " (milestones until the tasks catch up may name declarations out of "
                        + "acceptance order)", unapplied.waiting(), watermark);
            }
            overWaitingCap = true;
            entries.addAll(unapplied.release(null));
        } else {
            overWaitingCap = false;
        }
        if (!entries.isEmpty()) {
            batchTimeMs = now;
            for (ChangeEntry e : inAcceptanceOrder(entries)) {
                apply(e);
            }
            writeBack(inboxTimestamp);
            milestones.roundApplied(now);
        }
        for (InboxEntries.Batch b : unapplied.batches()) {
            if (b.remaining == 0) {
                inbox.delete(b.key);
                if (b.appliedStored) {
                    inbox.delete(appliedKey(b.key));
                }
            } else if (b.changed) {
                inbox.put(appliedKey(b.key), b.applied.toByteArray());
                b.appliedStored = true;
            }
        }
        unapplied.removeApplied();
        stats.heldForOrder(unapplied.waiting());
        inbox.put(POSITIONS_KEY, positions.encode());
    }

    /**
     * The entries sorted by acceptance time, stably; all entries of one declaration stay together, in
     * their order, at the place of its first one, so an amendment never overtakes what it amends.
     */
    static List<ChangeEntry> inAcceptanceOrder(List<ChangeEntry> entries) {
        int n = entries.size();
        Map<String, Integer> firstOf = new HashMap<>(n * 2);
        Ordered[] keyed = new Ordered[n];
        for (int i = 0; i < n; i++) {
            ChangeEntry e = entries.get(i);
            Integer first = firstOf.putIfAbsent(e.declarationId(), i);
            // An entry sorts where its declaration's first entry does, after it.
            Ordered at = first == null ? null : keyed[first];
            Instant t = e.latest().acceptedAt();
            keyed[i] = at == null ? new Ordered(t.getEpochSecond(), t.getNano(), i, i, e)
                    : new Ordered(at.second(), at.nano(), at.group(), i, e);
        }
        Arrays.sort(keyed, ORDER);
        List<ChangeEntry> ordered = new ArrayList<>(n);
        for (Ordered o : keyed) {
            ordered.add(o.entry());
        }
        return ordered;
    }

    /** An entry with its sort key: its declaration's first acceptance time, that entry's place, its own place. */
    private record Ordered(long second, int nano, int group, int index, ChangeEntry entry) {
    }

    private static final Comparator<Ordered> ORDER = (a, b) -> {
        int c = Long.compare(a.second(), b.second());
        if (c == 0) {
            c = Integer.compare(a.nano(), b.nano());
        }
        if (c == 0) {
            c = Integer.compare(a.group(), b.group());
        }
        return c != 0 ? c : Integer.compare(a.index(), b.index());
    };

    /** A watched total as it was before the entry being applied touched it. */
    private record Watched(String period, Dimension dimension, String member, TotalState state, long before) {
    }

    /** Watched totals touched by the current entry, checked for milestones once the entry is applied. */
    private final List<Watched> watched = new ArrayList<>();

    private void apply(ChangeEntry e) {
        watched.clear();
        if (e.removed() != null) {
            applyContribution(e.removed(), -1);
        }
        if (e.added() != null) {
            applyContribution(e.added(), 1);
            stats.counted(batchTimeMs, e.added().acceptedAt());
            latestCounted = later(latestCounted, e.added().acceptedAt());
        }
        for (Watched w : watched) {
            long after = w.state().cents();
            if (w.period().length() == 4) {
                milestones.annualTotalMoved(w.state(), w.period(), w.dimension(), w.member(), w.before(), after, e, batchTimeMs);
            } else {
                milestones.monthlyTotalMoved(w.state(), w.period(), w.dimension(), w.member(), w.before(), after, e, batchTimeMs);
            }
        }
    }

    private void applyContribution(Contribution c, int sign) {
        calendar.locate(c.acceptedAt());
        String year = calendar.year();
        String month = calendar.month();
        if (year != lastYear) {
            lastYear = year;
            lastYearTotals = periodTotals(year);
            lastYearExporters = exporterYears.computeIfAbsent(year, y -> new HashMap<>());
        }
        if (month != lastMonth) {
            lastMonth = month;
            lastMonthTotals = periodTotals(month);
        }
        ExporterYear activity = activity(year, lastYearExporters, c.exporterId());
        applyToPeriod(year, lastYearTotals, 0, c, sign, activity);
        applyToPeriod(month, lastMonthTotals, calendar.monthOfYear(), c, sign, activity);
    }

    /** @param periodIndex 0 for the year, else the month (1 to 12) */
    private void applyToPeriod(String period, Map<String, TotalState>[] periodTotals, int periodIndex, Contribution c, int sign,
            ExporterYear activity) {
        boolean annual = periodIndex == 0;
        long cents = sign * c.cents();
        Instant at = c.acceptedAt();
        TotalState national = state(periodTotals, period, Dimension.NATIONAL, country);
        watch(period, annual, Dimension.NATIONAL, country, national);
        national.add(cents, sign, at);
        TotalState category = state(periodTotals, period, Dimension.CATEGORY, c.category());
        watch(period, annual, Dimension.CATEGORY, c.category(), category);
        category.add(cents, sign, at);
        TotalState destination = state(periodTotals, period, Dimension.DESTINATION, c.destination());
        watch(period, annual, Dimension.DESTINATION, c.destination(), destination);
        destination.add(cents, sign, at);
        TotalState region = state(periodTotals, period, Dimension.REGION, c.region());
        watch(period, annual, Dimension.REGION, c.region(), region);
        region.add(cents, sign, at);
        TotalState size = state(periodTotals, period, Dimension.EXPORTER_SIZE, c.exporterSize().name());
        watch(period, annual, Dimension.EXPORTER_SIZE, c.exporterSize().name(), size);
        size.add(cents, sign, at);

        // Distinct exporters: the exporter count of a total moves only when the exporter's live
        // declarations in it go between 0 and 1.
        activity.add(periodIndex, c.exporterSize(), sign, exporterMoves);
        national.exporters += exporterMoves[0];
        size.exporters += exporterMoves[1];
        if (!annual && (exporterMoves[0] != 0 || exporterMoves[1] != 0)) {
            yearToDateExporters.monthMoved(lastYear, periodIndex, c.exporterSize(), exporterMoves, activity);
        }
    }

    /**
     * Remembers a total's value before the current entry first touches it, when milestones watch it: an annual
     * total with thresholds or an annual record, a monthly total with a calendar-month or monthly record.
     */
    private void watch(String period, boolean annual, Dimension dimension, String member, TotalState state) {
        if (state.watched == TotalState.UNKNOWN) {
            int records = rules.records(dimension, member);
            state.watched = (byte) (annual
                    ? (rules.thresholds(dimension, member) != null || (records & MilestoneRules.ANNUAL) != 0 ? 1 : 0)
                    : ((records & (MilestoneRules.CALENDAR_MONTH | MilestoneRules.MONTHLY)) != 0 ? 1 : 0));
        }
        if (state.watched == 0) {
            return;
        }
        for (Watched w : watched) {
            if (w.state() == state) {
                return;
            }
        }
        watched.add(new Watched(period, dimension, member, state, state.cents()));
    }

    /** Loads the stored exporter-years into memory, as many as the cap allows. */
    private void loadExporterYears() {
        exporterYearsComplete = true;
        try (KeyValueIterator<String, byte[]> it = exporterActivity.all()) {
            while (it.hasNext()) {
                if (exporterYearsInMemory == exporterYearsCap) {
                    exporterYearsComplete = false;
                    break;
                }
                KeyValue<String, byte[]> kv = it.next();
                int bar = kv.key.indexOf('|');
                ExporterYear a = ExporterYear.decode(kv.value);
                a.key(kv.key);
                exporterYears.computeIfAbsent(kv.key.substring(0, bar), y -> new HashMap<>()).put(kv.key.substring(bar + 1), a);
                exporterYearsInMemory++;
            }
        }
    }

    /** An exporter's year, from memory or else the store; remembered as moved by this round. */
    private ExporterYear activity(String year, Map<String, ExporterYear> ofYear, String exporterId) {
        ExporterYear a = ofYear.get(exporterId);
        if (a == null) {
            String key = ExporterYear.key(year, exporterId);
            a = exporterYearsComplete ? new ExporterYear() : ExporterYear.decode(exporterActivity.get(key));
            a.key(key);
            ofYear.put(exporterId, a);
            exporterYearsInMemory++;
        }
        a.lastRound = round;
        if (!a.dirty) {
            a.dirty = true;
            movedActivity.add(a);
        }
        return a;
    }

    /** Exporter-years in memory now (for tests). */
    int exporterYearsInMemory() {
        return exporterYearsInMemory;
    }

    /**
     * Past the cap, drops the least recently used exporter-years down to nine tenths of it, so that the
     * scan this takes comes once every many rounds rather than after each. Called after a round is
     * written back: none is dirty then.
     */
    private void evictExporterYears() {
        if (exporterYearsInMemory <= exporterYearsCap) {
            return;
        }
        // From now on an exporter-year not in memory may be in the store.
        exporterYearsComplete = false;
        long[] rounds = new long[exporterYearsInMemory];
        int i = 0;
        for (Map<String, ExporterYear> ofYear : exporterYears.values()) {
            for (ExporterYear a : ofYear.values()) {
                rounds[i++] = a.lastRound;
            }
        }
        Arrays.sort(rounds);
        int toDrop = exporterYearsInMemory - exporterYearsCap * 9 / 10;
        // Everything used before this round goes, and of this round as many as still needed.
        long cutoff = rounds[toDrop - 1];
        int atCutoff = 0;
        for (int k = toDrop - 1; k >= 0 && rounds[k] == cutoff; k--) {
            atCutoff++;
        }
        int[] dropAtCutoff = {atCutoff};
        for (Map<String, ExporterYear> ofYear : exporterYears.values()) {
            ofYear.values().removeIf(a -> {
                boolean drop = a.lastRound < cutoff || (a.lastRound == cutoff && dropAtCutoff[0]-- > 0);
                if (drop) {
                    exporterYearsInMemory--;
                }
                return drop;
            });
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, TotalState>[] periodTotals(String period) {
        return byPeriod.computeIfAbsent(period, p -> {
            if (p.length() == 4) {
                countedYears.add(p);
            }
            Map<String, TotalState>[] dimensions = new Map[Dimension.values().length];
            for (int i = 0; i < dimensions.length; i++) {
                dimensions[i] = new HashMap<>();
            }
            return dimensions;
        });
    }

    /** A total, created at zero when new; remembered as moved by this round. */
    private TotalState state(Map<String, TotalState>[] periodTotals, String period, Dimension dimension, String member) {
        Map<String, TotalState> members = periodTotals[dimension.ordinal()];
        TotalState s = members.get(member);
        if (s == null) {
            s = new TotalState();
            s.key = Total.key(period, dimension, member);
            members.put(member, s);
        }
        if (!s.dirty) {
            s.dirty = true;
            moved.add(s);
        }
        return s;
    }

    private void writeBack(long timestamp) {
        // One batch in key order: RocksDB's memtable inserts ascending keys each from where the last went in,
        // where puts in the order of the round each searched it from the top (and a delete read the key first).
        movedActivity.sort(ExporterYear.BY_KEY);
        List<KeyValue<String, byte[]>> activity = new ArrayList<>(movedActivity.size());
        for (ExporterYear a : movedActivity) {
            a.dirty = false;
            activity.add(KeyValue.pair(a.key, a.isEmpty() ? null : a.encode()));
        }
        exporterActivity.putAll(activity);
        movedActivity.clear();
        evictExporterYears();
        round++;
        for (TotalState t : moved) {
            t.dirty = false;
            totals.put(t.key, t);
            Total total = toTotal(t.key, t, zone);
            context.forward(new Record<>(t.key.getBytes(StandardCharsets.UTF_8),
                    Routed.of(Routed.Route.TOTAL, json.write(total)), timestamp));
        }
        moved.clear();
    }

    /** The contract view of a total stored under {@code key}, with {@code asOf} written in {@code zone}. */
    public static Total toTotal(String key, TotalState s, ZoneId zone) {
        String[] parts = key.split("\\|", 3);
        Dimension dimension = Dimension.valueOf(parts[1]);
        Instant asOf = s.asOf();
        OffsetDateTime asOfLocal = asOf == null ? null : OffsetDateTime.ofInstant(asOf, zone);
        boolean hasExporters = dimension == Dimension.NATIONAL || dimension == Dimension.EXPORTER_SIZE;
        return new Total(parts[0], dimension, parts[2], Money.fromCents(s.cents()), s.declarations(), asOfLocal,
                hasExporters ? s.exporters() : null);
    }

    @Override
    public void close() {
        stats.heldForOrder(0);
    }
}
