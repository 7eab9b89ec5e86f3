package io.exportcounter.simulator;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExchangeRate;
import io.exportcounter.contract.ExporterSize;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A simulated year of customs traffic, as the pure sequence of records to produce, in simulated-time
 * order: weekly exchange rates, accepted declarations, their amendments and withdrawals, redeliveries
 * and malformed records. No Kafka; tests and benchmarks iterate it directly, {@link Simulator} sends it.
 *
 * <h2>How the totals come out exact</h2>
 * The year is cut into calibration segments (the months, each cut at the 21st where the calibration gives
 * its first 20 days; for 2025 December is cut at Dec 21 and at the crossing declaration). Each day is planned from its own random stream, so a day can be planned twice
 * and come out the same: once to add up the raw values of a segment's declarations (final state: an
 * amended value counts as amended, a withdrawn one not at all), once to emit them scaled to the
 * segment's target. The scaled values are priced in their currencies with the week's rates and converted
 * back the pipeline's way (half-even to the cent, once); one USD declaration per segment, late on its
 * last day, takes whatever cents are left, so every segment sums to its target exactly. Memory holds
 * one day's plan and the corrections still to come, whatever the size of the year.
 *
 * <h2>How the 2025 crossing lands at 13:03:27</h2>
 * Everything accepted before the crossing declaration sums to $700B minus half of its value, so it takes
 * the running total past $700B and nothing earlier can: no declaration of the last 24 hours before it is
 * corrected, corrections of earlier ones are done 12 hours before it, and in its last ten days only
 * ordinary-sized declarations may be withdrawn or amended down (a withdrawn ship still in the running
 * total could otherwise cross early). Nothing after the crossing can take the total back below: every
 * correction after it concerns a declaration accepted after it. Around it the neighbours are small and
 * there is a quiet minute, so a pipeline that applies a few of them out of order still names it.
 */
public final class DeclarationGenerator implements Iterator<SimEvent> {
    static final long QUIET_GAP_SECONDS = 60;
    static final long NEIGHBOURHOOD_SECONDS = 1800;
    static final long NO_CORRECTIONS_WITHIN = 24 * 3600;
    static final long CORRECTIONS_SETTLED_BEFORE = 12 * 3600;
    static final long SMALL_CORRECTIONS_ONLY_WITHIN = 10 * 86_400;
    private static final long MIN_CENTS = 100;

    private static final byte DECLARATION = 0;
    private static final byte MALFORMED = 1;
    private static final byte CROSSING = 2;

    private static final byte ACCEPT = 0;
    private static final byte AMEND = 1;
    private static final byte CANCEL = 2;

    private static final byte AMEND_VALUE = 0;
    private static final byte AMEND_DESTINATION = 1;
    private static final byte AMEND_HS_CODE = 2;

    /** Currencies as indexes: RatePlan's four, then KRW (no rate of its own: 1). */
    private static final String[] CURRENCY = {"USD", "EUR", "JPY", "CNY", "KRW"};
    private static final int KRW = 4;
    private static final int[] FOB_SCALE = {2, 2, 0, 2, 0};

    private static final int DECLARANTS = 2_500;

    private final SimulatorOptions options;
    private final Calibration calibration;
    private final TradeCalendar calendar;
    private final RatePlan rates;
    private final Exporters exporters;
    private final DeclarationJson json = new DeclarationJson();

    private final TradeCatalog.Profile[] profiles;
    private final AliasTable profileTable;
    private final int[] profileSalt;
    private final int shipsLarge;
    private final String[] destinations;
    private final AliasTable destinationTable;
    private final String[] shipDestinations;
    private final double[] shipDestinationCumulative;
    private final String[] declarants;
    private final AliasTable declarantPopularity;
    private final int[] declarantSerial;
    private final String yearDigits;
    /** The mean raw value of a core declaration; the cap on the crossing's neighbours. */
    private final double meanCoreRaw;

    private final Segment[] segments;
    private final int[] dayCounts;
    private final long crossingAt;
    /** The value of the first declaration of the crossing's second; the others are a little smaller each. */
    private final long crossingCents;
    /** Declarations accepted in the crossing's second, each of which alone takes the total past the threshold. */
    private final int declarationsAtCrossing;
    /** How much smaller each further declaration of the crossing's second is than the one before. */
    private final long tieStepCents;
    private final long thresholdCents;
    private String crossingDeclarationId;
    private long crossingDeclarationUsdCents;

    private int currentDay = -1;
    private List<Item> dayItems = List.of();
    private int dayIndex;
    private final PriorityQueue<Deferred> pending = new PriorityQueue<>(
            Comparator.comparingLong((Deferred d) -> d.at).thenComparingInt(d -> d.priority).thenComparingLong(d -> d.seq));
    private long deferredSeq;
    private SimEvent lookahead;
    private boolean finished;

    /** A calibration segment: a span of acceptance times whose final values must sum to {@code target}. */
    private static final class Segment {
        final String label;
        final long start;
        final long end;
        final long target;
        final int firstDay;
        final int lastDay;
        long adjusterAt;
        boolean scaled;
        double centsPerRawUsd;
        long finalCents;

        Segment(String label, long start, long end, long target, TradeCalendar calendar) {
            this.label = label;
            this.start = start;
            this.end = end;
            this.target = target;
            this.firstDay = (int) ((start - calendar.firstDayStart) / TradeCalendar.SECONDS_PER_DAY);
            this.lastDay = (int) ((end - 1 - calendar.firstDayStart) / TradeCalendar.SECONDS_PER_DAY);
        }
    }

    /** One planned record of a day: a declaration (with its fate), the crossing, or a malformed record. */
    private static final class Item {
        byte type;
        long at;
        int segment = -1;
        boolean adjuster;
        int profile;
        double raw;
        int exporter;
        String destination;
        int currency;
        String hsCode;
        String office;
        String mode;
        int declarant;
        byte fate;
        byte amendKind;
        double amendFactor;
        String altDestination;
        String altHsCode;
        long correctionAt;
        long redeliveryDelay = -1;
        long correctionRedeliveryDelay = -1;
        int malformedKind;
        // Set when the day is priced (second pass) and emitted.
        String fob;
        long usdCents;
        String amendedFob;
        long amendedUsdCents;
        String id;

        double finalRaw() {
            if (fate == CANCEL) {
                return 0;
            }
            return fate == AMEND && amendKind == AMEND_VALUE ? raw * amendFactor : raw;
        }

        long finalCents() {
            if (fate == CANCEL) {
                return 0;
            }
            return fate == AMEND && amendKind == AMEND_VALUE ? amendedUsdCents : usdCents;
        }
    }

    /** A record due later: a correction, a redelivery, or a rate. */
    private static final class Deferred {
        final long at;
        final int priority;
        final long seq;
        final SimEvent.Kind kind;
        final Item item;
        final String key;
        final byte[] bytes;

        Deferred(long at, int priority, long seq, SimEvent.Kind kind, Item item, String key, byte[] bytes) {
            this.at = at;
            this.priority = priority;
            this.seq = seq;
            this.kind = kind;
            this.item = item;
            this.key = key;
            this.bytes = bytes;
        }
    }

    private DeclarationGenerator(SimulatorOptions options, Calibration calibration) {
        this.options = options;
        this.calibration = calibration;
        this.calendar = new TradeCalendar(options.year());
        this.yearDigits = String.format("%02d", options.year() % 100);
        long seed = options.seed();

        // Profiles: core trade by value share over mean value, parcels filling any declarations beyond it.
        List<TradeCatalog.Profile> core = TradeCatalog.CORE;
        List<TradeCatalog.Profile> parcels = TradeCatalog.PARCEL_PROFILES;
        double countPerUsd = 0;
        for (TradeCatalog.Profile p : core) {
            countPerUsd += p.valueShare() / p.meanUsd();
        }
        this.meanCoreRaw = 1 / countPerUsd;
        double coreCount = calibration.annualCents() / 100.0 * countPerUsd;
        double parcelShare = Math.min(0.95, Math.max(0.05, 1 - coreCount / options.declarations()));
        this.profiles = new TradeCatalog.Profile[core.size() + parcels.size()];
        this.profileSalt = new int[profiles.length];
        double[] profileWeights = new double[profiles.length];
        int shipsLargeIndex = -1;
        for (int i = 0; i < profiles.length; i++) {
            TradeCatalog.Profile p = i < core.size() ? core.get(i) : parcels.get(i - core.size());
            profiles[i] = p;
            // Drawn by value share over mean value, so each profile's expected share of value is its share.
            profileWeights[i] = p.parcel() ? parcelShare * p.valueShare()
                    : (1 - parcelShare) * p.valueShare() / p.meanUsd() / countPerUsd;
            profileSalt[i] = categoryIndex(p.category()) + (p.parcel() ? 100 : 0);
            if (p.category().equals("SHIPS") && p.size() == ExporterSize.LARGE) {
                shipsLargeIndex = i;
            }
        }
        this.profileTable = new AliasTable(profileWeights);
        this.shipsLarge = shipsLargeIndex;

        // Destinations: ships go to their flag states; everything else from the rest, so the mix adds up.
        TradeCatalog.Weighted<String> base = TradeCatalog.Weighted.parse(TradeCatalog.DESTINATIONS);
        TradeCatalog.Weighted<String> ships = TradeCatalog.Weighted.parse(TradeCatalog.SHIP_DESTINATIONS);
        this.shipDestinations = ships.items();
        this.shipDestinationCumulative = ships.cumulative();
        double shipShare = shareOf("SHIPS");
        this.destinations = base.items();
        double[] destinationWeights = new double[destinations.length];
        double prev = 0;
        for (int i = 0; i < destinations.length; i++) {
            double p = base.cumulative()[i] - prev;
            prev = base.cumulative()[i];
            double q = 0;
            for (int j = 0; j < shipDestinations.length; j++) {
                if (shipDestinations[j].equals(destinations[i])) {
                    q = shipDestinationCumulative[j] - (j == 0 ? 0 : shipDestinationCumulative[j - 1]);
                }
            }
            destinationWeights[i] = Math.max(0, p - shipShare * q) / (1 - shipShare);
        }
        this.destinationTable = new AliasTable(destinationWeights);

        this.exporters = new Exporters(options.exporters(), seed);
        Rng setup = new Rng(Rng.derive(seed, 0x5E7L, options.year()));
        this.declarants = new String[DECLARANTS];
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < DECLARANTS; i++) {
            String code;
            do {
                code = Integer.toString(10_000 + setup.nextInt(90_000));
            } while (!codes.add(code));
            declarants[i] = code;
        }
        this.declarantPopularity = AliasTable.zipf(DECLARANTS, 0.9);
        this.declarantSerial = new int[DECLARANTS];

        // Segments and the planned crossing.
        long[] months = calibration.monthTargetsCents();
        List<Segment> segs = new ArrayList<>();
        Optional<Calibration.DecemberShape> shape = calibration.decemberShape();
        int plainMonths = shape.isPresent() ? 11 : 12;
        for (int m = 1; m <= plainMonths; m++) {
            String label = calibration.year() + "-" + String.format("%02d", m);
            long firstPart = calibration.firstTwentyDaysCents(m);
            if (firstPart < 0) {
                segs.add(new Segment(label, calendar.monthStart(m), calendar.monthStart(m + 1), months[m - 1], calendar));
            } else {
                long day21 = calendar.monthStart(m) + 20L * TradeCalendar.SECONDS_PER_DAY;
                segs.add(new Segment(label + " (1-20)", calendar.monthStart(m), day21, firstPart, calendar));
                segs.add(new Segment(label + " (21-)", day21, calendar.monthStart(m + 1), months[m - 1] - firstPart, calendar));
            }
        }
        int plainSegments = segs.size();
        int random = options.declarations() - plainSegments - (shape.isPresent() ? 4 : 0);
        this.dayCounts = allocate(random, calendar.weights);
        if (shape.isPresent()) {
            Calibration.DecemberShape s = shape.get();
            this.crossingAt = s.crossing().at().getEpochSecond();
            this.thresholdCents = s.crossing().thresholdCents();
            long dec1 = calendar.monthStart(12);
            long firstPartEnd = s.firstPartEnd().getEpochSecond();
            long janToNov = 0;
            for (int m = 0; m < 11; m++) {
                janToNov += months[m];
            }
            // The crossing declaration: a big one (an LNG carrier), at least eight times an average one of
            // its stretch, so a few neighbours applied out of order cannot decide the crossing.
            double countToCrossing = 0;
            for (int d = (int) ((firstPartEnd - calendar.firstDayStart) / 86_400); d < calendar.days; d++) {
                long dayStart = calendar.dayStart(d);
                countToCrossing += dayStart + 86_400 <= crossingAt ? dayCounts[d]
                        : dayStart < crossingAt ? dayCounts[d] * 0.5 : 0;
            }
            double averageCents = (thresholdCents - janToNov - s.firstPartCents()) / Math.max(1, countToCrossing);
            long value = Math.round(setup.between(230e6, 260e6)) / 1000 * 1000 * 100;
            this.crossingCents = Math.max(value, Math.round(8 * averageCents / 100_000) * 100_000);
            this.declarationsAtCrossing = options.declarationsAtCrossing();
            // Steps of about 1.5%: distinct values (so a crossing by another one shows in totalUsd), all well above
            // half the first one, the shortfall any of them makes up.
            this.tieStepCents = crossingCents / 64 / 100_000 * 100_000;
            long atCrossingCents = 0;
            for (int i = 0; i < declarationsAtCrossing; i++) {
                atCrossingCents += tieValueCents(i);
            }
            long shortBy = crossingCents / 2;
            long beforeCrossing = thresholdCents - shortBy;
            segs.add(new Segment(calibration.year() + "-12 (1-20)", dec1, firstPartEnd, s.firstPartCents(), calendar));
            segs.add(new Segment(calibration.year() + "-12 (21 to crossing)", firstPartEnd, crossingAt,
                    beforeCrossing - janToNov - s.firstPartCents(), calendar));
            segs.add(new Segment(calibration.year() + "-12 (after crossing)", crossingAt, calendar.yearEnd(),
                    months[11] - s.firstPartCents() - (beforeCrossing - janToNov - s.firstPartCents()) - atCrossingCents,
                    calendar));
            for (Segment seg : segs.subList(plainSegments, plainSegments + 3)) {
                if (seg.target <= 0) {
                    throw new IllegalArgumentException("calibration of December leaves " + seg.label + " nothing");
                }
            }
        } else {
            this.crossingAt = Long.MIN_VALUE;
            this.thresholdCents = 0;
            this.crossingCents = 0;
            this.declarationsAtCrossing = 0;
            this.tieStepCents = 0;
        }
        this.segments = segs.toArray(new Segment[0]);
        for (Segment seg : segments) {
            // The segment's balancing declaration: late on its last day, before the crossing's neighbourhood.
            long dayStart = calendar.dayStart(seg.lastDay);
            seg.adjusterAt = Math.max(Math.max(dayStart, seg.start), seg.end - (long) setup.between(3600, 3 * 3600));
        }

        long protectFrom = crossingAt == Long.MIN_VALUE ? Long.MAX_VALUE : crossingAt - 9 * 86_400L;
        long protectTo = crossingAt == Long.MIN_VALUE ? Long.MAX_VALUE : crossingAt + 86_400L;
        this.rates = new RatePlan(calendar, seed, options.lateRateShare(), protectFrom, protectTo);
        for (int w = 0; w < rates.weeks; w++) {
            OffsetDateTime validFrom = OffsetDateTime.ofInstant(Instant.ofEpochSecond(rates.weekStart(w)), ZoneOffset.ofHours(9));
            for (int c = 0; c < RatePlan.CURRENCIES.length; c++) {
                byte[] bytes = ContractJson.instance().write(new ExchangeRate(RatePlan.CURRENCIES[c], rates.krwPerUnit[w][c], validFrom));
                // The first week began before the year: its rates come a minute before the year's first
                // declarations, so that a paced run does not wait days of simulated time for nothing.
                long at = Math.max(rates.publishedAt[w][c], calendar.firstDayStart - 60);
                pending.add(new Deferred(at, 0, deferredSeq++, SimEvent.Kind.RATE, null, RatePlan.CURRENCIES[c], bytes));
            }
        }
    }

    /** The events of the year the options describe. */
    public static DeclarationGenerator create(SimulatorOptions options) {
        return new DeclarationGenerator(options, Calibration.of(options));
    }

    public static DeclarationGenerator create(SimulatorOptions options, Calibration calibration) {
        if (calibration.year() != options.year()) {
            throw new IllegalArgumentException("calibration is for " + calibration.year() + ", options for " + options.year());
        }
        return new DeclarationGenerator(options, calibration);
    }

    /** The same events as a sequential stream. */
    public static Stream<SimEvent> events(SimulatorOptions options) {
        return create(options).stream();
    }

    public Stream<SimEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    public Calibration calibration() {
        return calibration;
    }

    /** Distinct declarations the year will have (ACCEPT events). */
    public int declarations() {
        return options.declarations();
    }

    /** The final national total of the year, in cents. */
    public long finalTotalCents() {
        return calibration.annualCents();
    }

    /** When the planned threshold crossing happens, if the calibration plans one. */
    public Optional<Calibration.PlannedCrossing> plannedCrossing() {
        return calibration.plannedCrossing();
    }

    /**
     * The USD value of the crossing declaration, in cents (0 without a planned crossing); with several declarations in
     * the crossing's second, known once they are generated (before: the first one's).
     */
    public long crossingDeclarationCents() {
        return crossingDeclarationId == null ? crossingCents : crossingDeclarationUsdCents;
    }

    /** The value of the {@code i}-th declaration of the crossing's second. */
    private long tieValueCents(int i) {
        return crossingCents - i * tieStepCents;
    }

    /** The id of the declaration planned to cross, once it has been generated; null before. */
    public String crossingDeclarationId() {
        return crossingDeclarationId;
    }

    // ------------------------------------------------------------------ iteration

    @Override
    public boolean hasNext() {
        if (lookahead == null && !finished) {
            lookahead = advance();
            finished = lookahead == null;
        }
        return lookahead != null;
    }

    @Override
    public SimEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SimEvent e = lookahead;
        lookahead = null;
        return e;
    }

    private SimEvent advance() {
        while (true) {
            Item head = dayIndex < dayItems.size() ? dayItems.get(dayIndex) : null;
            Deferred due = pending.peek();
            if (head == null) {
                boolean moreDays = currentDay + 1 < calendar.days;
                if (moreDays && (due == null || due.at >= calendar.dayStart(currentDay + 1))) {
                    loadDay(currentDay + 1);
                    continue;
                }
                if (due == null) {
                    verifySegments();
                    return null;
                }
                return emit(pending.poll());
            }
            // Rates (priority 0) go before the day's records of the same second, corrections (2) after.
            if (due != null && (due.at < head.at || (due.at == head.at && due.priority == 0))) {
                return emit(pending.poll());
            }
            dayIndex++;
            return emit(head);
        }
    }

    private void loadDay(int day) {
        currentDay = day;
        dayIndex = 0;
        dayItems = planDay(day, true);
        for (Item it : dayItems) {
            if (it.type == DECLARATION && !it.adjuster) {
                Segment s = segments[it.segment];
                scale(s);
                priceDeclaration(it, s.centsPerRawUsd);
                s.finalCents += it.finalCents();
            } else if (it.type == CROSSING) {
                it.fob = DeclarationJson.cents(it.usdCents);
            } else if (it.type == MALFORMED) {
                // Malformed records are never counted; a plausible amount is all they need.
                price(it, Math.max(MIN_CENTS, Math.round(it.raw * 100)), false);
            }
        }
        for (Item it : dayItems) {
            if (it.adjuster) {
                Segment s = segments[it.segment];
                scale(s);
                long left = s.target - s.finalCents;
                if (left < MIN_CENTS) {
                    throw new IllegalStateException("calibration of " + s.label + " failed: " + left + " cents left");
                }
                it.usdCents = left;
                it.fob = DeclarationJson.cents(left);
                s.finalCents += left;
            }
        }
    }

    private void verifySegments() {
        for (Segment s : segments) {
            if (s.finalCents != s.target) {
                throw new IllegalStateException("segment " + s.label + " sums to " + s.finalCents + " cents, not " + s.target);
            }
        }
    }

    /** First pass over a segment: the scale that takes its raw values to its target (less the balancing declaration). */
    private void scale(Segment s) {
        if (s.scaled) {
            return;
        }
        double rawSum = 0;
        int count = 0;
        int index = indexOf(s);
        for (int d = s.firstDay; d <= s.lastDay; d++) {
            for (Item it : planDay(d, false)) {
                if (it.type == DECLARATION && it.segment == index) {
                    count++;
                    if (!it.adjuster) {
                        rawSum += it.finalRaw();
                    }
                }
            }
        }
        // The balancing declaration is meant to be an average one: it gets a share of the target.
        long reserve = s.target / Math.max(1, count);
        s.centsPerRawUsd = rawSum > 0 ? (s.target - reserve) / rawSum : 0;
        s.scaled = true;
    }

    private int indexOf(Segment s) {
        for (int i = 0; i < segments.length; i++) {
            if (segments[i] == s) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    private void priceDeclaration(Item it, double centsPerRawUsd) {
        long cents = Math.max(MIN_CENTS, Math.round(it.raw * centsPerRawUsd));
        price(it, cents, false);
        if (it.fate == AMEND && it.amendKind == AMEND_VALUE) {
            price(it, Math.max(MIN_CENTS, Math.round(it.raw * it.amendFactor * centsPerRawUsd)), true);
        }
    }

    /**
     * The FOB amount in the declaration's currency for a USD value, and the USD the pipeline will make of
     * it: {@code fob x krwPerUnit(cur) / krwPerUnit(USD)}, half-even to the cent, with the week's rates.
     */
    private void price(Item it, long cents, boolean amended) {
        String fob;
        long usd;
        if (it.currency == 0) {
            fob = DeclarationJson.cents(cents);
            usd = cents;
        } else {
            BigDecimal usdRate = rates.rate(RatePlan.USD, it.at);
            BigDecimal ownRate = it.currency == KRW ? BigDecimal.ONE : rates.rate(it.currency, it.at);
            BigDecimal amount = BigDecimal.valueOf(cents, 2).multiply(usdRate)
                    .divide(ownRate, FOB_SCALE[it.currency], RoundingMode.HALF_EVEN);
            if (amount.signum() <= 0) {
                amount = BigDecimal.ONE;
            }
            fob = amount.toPlainString();
            BigDecimal krw = it.currency == KRW ? amount : amount.multiply(ownRate);
            usd = krw.divide(usdRate, 2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        }
        if (amended) {
            it.amendedFob = fob;
            it.amendedUsdCents = usd;
        } else {
            it.fob = fob;
            it.usdCents = usd;
        }
    }

    // ------------------------------------------------------------------ planning a day

    /** Everything accepted on a day, in order; the same day always plans the same, whenever asked. */
    private List<Item> planDay(int day, boolean full) {
        Rng r = new Rng(Rng.derive(options.seed(), 0xDA7L, calendar.year, day));
        long start = calendar.dayStart(day);
        int n = dayCounts[day];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long t = start + calendar.secondOfDay(day, r);
            if (crossingAt != Long.MIN_VALUE && Math.abs(t - crossingAt) < QUIET_GAP_SECONDS) {
                t += t < crossingAt ? -QUIET_GAP_SECONDS : QUIET_GAP_SECONDS;
            }
            times[i] = t;
        }
        Arrays.sort(times);
        int malformed = r.stochasticRound(n * options.malformedShare());
        List<Item> items = new ArrayList<>(n + malformed + 4);
        for (int i = 0; i < n; i++) {
            items.add(plan(times[i], r, false, full));
        }
        for (Segment s : segments) {
            if (s.adjusterAt >= start && s.adjusterAt < start + TradeCalendar.SECONDS_PER_DAY) {
                items.add(plan(s.adjusterAt, r, true, full));
            }
        }
        if (crossingAt >= start && crossingAt < start + TradeCalendar.SECONDS_PER_DAY) {
            for (int i = 0; i < declarationsAtCrossing; i++) {
                Item crossing = planCrossing(r);
                crossing.usdCents = tieValueCents(i);
                items.add(crossing);
            }
        }
        if (!full) {
            return items; // the first pass needs neither malformed records nor the order
        }
        for (int i = 0; i < malformed; i++) {
            Item it = plan(start + calendar.secondOfDay(day, r), r, false, true);
            it.type = MALFORMED;
            it.malformedKind = r.nextInt(DeclarationJson.MALFORMED_KINDS);
            items.add(it);
        }
        // Stable: records of the same second keep the order they were planned in.
        items.sort(Comparator.comparingLong(it -> it.at));
        return items;
    }

    /**
     * One declaration. Every draw is made whether or not it is used, so the first pass ({@code full}
     * false: only what the value needs) and the second consume the day's random stream identically.
     */
    private Item plan(long at, Rng r, boolean adjuster, boolean full) {
        Item it = new Item();
        it.type = DECLARATION;
        it.at = at;
        it.segment = segmentOf(at);
        it.adjuster = adjuster;
        int p = profileTable.sample(r.nextDouble());
        TradeCatalog.Profile profile = profiles[p];
        it.profile = p;
        it.raw = r.logNormal(profile.medianUsd(), profile.sigma(), 3.5);
        boolean nearCrossing = crossingAt != Long.MIN_VALUE && Math.abs(at - crossingAt) <= NEIGHBOURHOOD_SECONDS;
        if (nearCrossing) {
            it.raw = Math.min(it.raw, meanCoreRaw);
        }
        double uExporter = r.nextDouble();
        double uDestination = r.nextDouble();
        double uCurrency = r.nextDouble();
        double uLocalCurrency = r.nextDouble();
        double uHsCode = r.nextDouble();
        double uAir = r.nextDouble();
        double uPort = r.nextDouble();
        double uDeclarant = r.nextDouble();
        double uFate = r.nextDouble();
        int kind = r.nextInt(10);
        double factor = r.between(0.75, 1.25);
        double uAltDestination = r.nextDouble();
        boolean sameProfile = r.chance(0.8);
        int otherProfile = r.nextInt(TradeCatalog.CORE.size());
        double uAltHsCode = r.nextDouble();
        double delay = r.nextDouble();
        boolean redeliver = r.chance(options.redeliveryShare());
        int redeliveryDelay = 1 + r.nextInt(900);
        boolean redeliverCorrection = r.chance(options.redeliveryShare());
        int correctionRedeliveryDelay = 1 + r.nextInt(900);

        it.fate = uFate < options.amendShare() ? AMEND : uFate < options.amendShare() + options.cancelShare() ? CANCEL : ACCEPT;
        it.amendKind = kind < 6 ? AMEND_VALUE : kind < 8 ? AMEND_DESTINATION : AMEND_HS_CODE;
        it.amendFactor = Math.abs(factor - 1) < 0.01 ? 1.02 : factor;
        if (adjuster) {
            // The balancing declaration: counted as it stands, in USD, so its cents are exact.
            it.fate = ACCEPT;
        }
        scheduleCorrection(it, delay, nearCrossing);
        if (!full) {
            return it;
        }
        it.exporter = exporters.pick(profile.size(), profileSalt[p], uExporter);
        boolean ship = profile.category().equals("SHIPS");
        it.destination = destination(ship, uDestination);
        it.currency = adjuster ? 0 : currency(it.destination, profile, ship, uCurrency, uLocalCurrency);
        it.hsCode = profile.hsCodes()[TradeCatalog.pick(profile.hsCumulative(), uHsCode)];
        boolean air = uAir < profile.airShare();
        it.office = air ? TradeCatalog.AIRPORT : profile.seaOffices()[TradeCatalog.pick(profile.seaOfficeCumulative(), uPort)];
        it.mode = air ? "AIR" : "SEA";
        it.declarant = declarantPopularity.sample(uDeclarant);
        String alt = destination(ship, uAltDestination);
        it.altDestination = alt.equals(it.destination) ? (alt.equals("VN") ? "TH" : "VN") : alt;
        TradeCatalog.Profile other = sameProfile ? profile : profiles[otherProfile];
        String altHs = other.hsCodes()[(int) (uAltHsCode * other.hsCodes().length)];
        it.altHsCode = altHs.equals(it.hsCode) ? it.hsCode.substring(0, 8) + (it.hsCode.endsWith("00") ? "90" : "00") : altHs;
        it.redeliveryDelay = redeliver ? redeliveryDelay : -1;
        it.correctionRedeliveryDelay = redeliverCorrection ? correctionRedeliveryDelay : -1;
        return it;
    }

    private String destination(boolean ship, double u) {
        return ship ? shipDestinations[TradeCatalog.pick(shipDestinationCumulative, u)] : destinations[destinationTable.sample(u)];
    }

    /** When the amendment or withdrawal comes: later, within days, in the same month; or not at all. */
    private void scheduleCorrection(Item it, double delay, boolean nearCrossing) {
        if (it.fate == ACCEPT) {
            return;
        }
        long minDelay = it.fate == AMEND ? 1800 : 7200;
        long maxDelay = it.fate == AMEND ? 7 * 86_400 : 5 * 86_400;
        long windowEnd = calendar.monthStart(TradeCalendar.monthOf(it.at) + 1) - 1;
        if (crossingAt != Long.MIN_VALUE && it.at < crossingAt) {
            boolean lowers = it.fate == CANCEL || (it.amendKind == AMEND_VALUE && it.amendFactor < 1);
            if (it.at >= crossingAt - NO_CORRECTIONS_WITHIN || nearCrossing
                    || (lowers && it.raw > meanCoreRaw && it.at >= crossingAt - SMALL_CORRECTIONS_ONLY_WITHIN)) {
                it.fate = ACCEPT;
                return;
            }
            windowEnd = Math.min(windowEnd, crossingAt - CORRECTIONS_SETTLED_BEFORE);
        }
        long room = Math.min(maxDelay, windowEnd - it.at);
        if (room < minDelay + 60) {
            it.fate = ACCEPT;
            return;
        }
        it.correctionAt = it.at + minDelay + (long) (delay * (room - minDelay));
    }

    private Item planCrossing(Rng r) {
        Item it = plan(crossingAt, r, false, true);
        it.type = CROSSING;
        it.segment = -1;
        TradeCatalog.Profile ships = profiles[shipsLarge];
        it.profile = shipsLarge;
        it.exporter = exporters.leader(ExporterSize.LARGE, profileSalt[shipsLarge]);
        it.destination = destination(true, r.nextDouble());
        it.currency = 0;
        it.hsCode = "8901201000"; // a liquefied-gas carrier: the tankers' subheading
        it.office = ships.seaOffices()[0];
        it.mode = "SEA";
        it.fate = ACCEPT;
        it.redeliveryDelay = -1;
        return it;
    }

    private int segmentOf(long at) {
        for (int i = 0; i < segments.length; i++) {
            if (at >= segments[i].start && at < segments[i].end) {
                return i;
            }
        }
        return -1;
    }

    private static int currency(String destination, TradeCatalog.Profile profile, boolean ship, double u1, double u2) {
        if (ship) {
            return 0;
        }
        if (profile.parcel()) {
            return u1 < 0.10 ? KRW : 0;
        }
        if (u1 < TradeCatalog.KRW_SHARE) {
            return KRW;
        }
        String local = TradeCatalog.LOCAL_CURRENCY.get(destination);
        if (local == null) {
            return 0;
        }
        double share = switch (local) {
            case "EUR" -> TradeCatalog.EUR_SHARE_IN_EU;
            case "JPY" -> TradeCatalog.JPY_SHARE_IN_JAPAN;
            default -> TradeCatalog.CNY_SHARE_IN_CHINA;
        };
        return u2 < share ? RatePlan.indexOf(local) : 0;
    }

    // ------------------------------------------------------------------ emitting

    private SimEvent emit(Item it) {
        it.id = nextId(it.declarant);
        if (it.type == MALFORMED) {
            return new SimEvent(it.at, SimEvent.Kind.MALFORMED, it.id, json.malformed(fields(it, 0, "ACCEPT", it.at), it.malformedKind), 0);
        }
        if (it.type == CROSSING && (crossingDeclarationId == null || it.id.compareTo(crossingDeclarationId) < 0)) {
            // Declarations accepted in the same second are counted in declarationId order (CONTRACT.md section 5).
            crossingDeclarationId = it.id;
            crossingDeclarationUsdCents = it.usdCents;
        }
        byte[] bytes = json.write(fields(it, 0, "ACCEPT", it.at));
        if (it.redeliveryDelay >= 0) {
            defer(it.at + it.redeliveryDelay, SimEvent.Kind.REDELIVERY, null, it.id, bytes);
        }
        if (it.fate == AMEND) {
            defer(it.correctionAt, SimEvent.Kind.AMEND, it, it.id, null);
        } else if (it.fate == CANCEL) {
            defer(it.correctionAt, SimEvent.Kind.CANCEL, it, it.id, null);
        }
        return new SimEvent(it.at, SimEvent.Kind.ACCEPT, it.id, bytes, it.usdCents);
    }

    private SimEvent emit(Deferred d) {
        if (d.item == null) {
            return new SimEvent(d.at, d.kind, d.key, d.bytes, 0);
        }
        Item it = d.item;
        byte[] bytes;
        long delta;
        if (d.kind == SimEvent.Kind.CANCEL) {
            bytes = json.write(fields(it, 1, "CANCEL", d.at));
            delta = -it.usdCents;
        } else {
            bytes = json.write(fields(it, 1, "AMEND", d.at));
            delta = it.amendKind == AMEND_VALUE ? it.amendedUsdCents - it.usdCents : 0;
        }
        if (it.correctionRedeliveryDelay >= 0) {
            defer(d.at + it.correctionRedeliveryDelay, SimEvent.Kind.REDELIVERY, null, it.id, bytes);
        }
        return new SimEvent(d.at, d.kind, it.id, bytes, delta);
    }

    private void defer(long at, SimEvent.Kind kind, Item item, String key, byte[] bytes) {
        // Nothing after the year: a late redelivery is squeezed into its last second.
        long when = Math.min(at, calendar.yearEnd() - 1);
        pending.add(new Deferred(when, 2, deferredSeq++, kind, item, key, bytes));
    }

    private DeclarationJson.Fields fields(Item it, int revision, String action, long revisedAt) {
        TradeCatalog.Profile p = profiles[it.profile];
        boolean amend = action.equals("AMEND");
        String destination = amend && it.amendKind == AMEND_DESTINATION ? it.altDestination : it.destination;
        String hs = amend && it.amendKind == AMEND_HS_CODE ? it.altHsCode : it.hsCode;
        String fob = amend && it.amendKind == AMEND_VALUE ? it.amendedFob : it.fob;
        return new DeclarationJson.Fields(it.id, revision, action, it.at, exporters.id(p.size(), it.exporter),
                p.size().name(), hs, destination, CURRENCY[it.currency], fob, it.office, it.mode, revisedAt);
    }

    /** {@code 43210-25-0123456X}: declarant, year, the declarant's serial of the year, check character. */
    private String nextId(int declarant) {
        int serial = ++declarantSerial[declarant];
        String code = declarants[declarant];
        char[] id = new char[17];
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            id[i] = code.charAt(i);
            sum += (id[i] - '0') * (i % 6 + 2);
        }
        id[5] = '-';
        id[6] = yearDigits.charAt(0);
        id[7] = yearDigits.charAt(1);
        sum += (id[6] - '0') * (5 % 6 + 2) + (id[7] - '0') * (6 % 6 + 2);
        id[8] = '-';
        for (int i = 6, v = serial; i >= 0; i--, v /= 10) {
            id[9 + i] = (char) ('0' + v % 10);
        }
        for (int i = 0; i < 7; i++) {
            sum += (id[9 + i] - '0') * ((7 + i) % 6 + 2);
        }
        int check = (11 - sum % 11) % 11;
        id[16] = check == 10 ? 'X' : (char) ('0' + check);
        return new String(id);
    }

    // ------------------------------------------------------------------ helpers

    private static int categoryIndex(String category) {
        List<TradeCatalog.CategoryRow> rows = TradeCatalog.CATEGORIES;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).name().equals(category)) {
                return i;
            }
        }
        throw new IllegalArgumentException(category);
    }

    private static double shareOf(String category) {
        double total = 0;
        double share = 0;
        for (TradeCatalog.CategoryRow c : TradeCatalog.CATEGORIES) {
            total += c.valueBillions();
            if (c.name().equals(category)) {
                share = c.valueBillions();
            }
        }
        return share / total;
    }

    /** {@code total} spread over the days in proportion to their weights (largest remainders round up). */
    static int[] allocate(int total, double[] weights) {
        double sum = Arrays.stream(weights).sum();
        int[] out = new int[weights.length];
        double[] remainder = new double[weights.length];
        int assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = total * weights[i] / sum;
            out[i] = (int) Math.floor(exact);
            remainder[i] = exact - out[i];
            assigned += out[i];
        }
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a]) != 0
                ? Double.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
        for (int i = 0; assigned < total; i++, assigned++) {
            out[order[i]]++;
        }
        return out;
    }
}
