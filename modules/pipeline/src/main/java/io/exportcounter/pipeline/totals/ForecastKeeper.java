package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.ReportingTime;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.forecast.CountedYear;
import io.exportcounter.pipeline.forecast.ForecastRequest;
import io.exportcounter.pipeline.forecast.Forecaster;
import io.exportcounter.pipeline.forecast.HolidayCalendar;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2's forecasts (CONTRACT.md section 5b): for each forecast total, what it counted into each year
 * ({@link CountedYear}, kept in a changelogged store with the totals), and after a round that moved it, at most once
 * per {@code forecast.min-interval.ms}, a new forecast of the current year, written to {@code export.forecasts} and
 * kept in the {@code forecasts} store for the API. A total that moved since its last forecast gets one once the
 * interval has passed, also when nothing moves any more, so the last forecast is never older than the last round.
 *
 * <p>The current year is the year of stage 2's position in time: the latest place of an entry it applied. Forecasts
 * are made as of that instant ({@code asOf}), so a replay forecasts as the pipeline would have on the day.
 */
public final class ForecastKeeper {
    /** A forecast total: its dimension, member and thresholds. */
    public record Watched(Dimension dimension, String member, List<Long> thresholdsCents) {
    }

    /** What every stage-2 task's keeper shares, resolved once from the config: immutable. */
    public record Plan(Forecaster forecaster, History history, ReportingTime time, Duration minInterval, String country,
                       List<Watched> totals) {
        /** No total forecast (tests of other rules). */
        public static Plan none(ZoneId zone) {
            return new Plan(new Forecaster(HolidayCalendar.none(), zone), History.empty(), new ReportingTime(zone),
                    Duration.ofMinutes(1), "KR", List.of());
        }

        /**
         * {@code forecast.totals}, or by default NATIONAL and every total with thresholds, each with its thresholds.
         */
        public static Plan from(PipelineConfig config, MilestoneRules rules) {
            List<String> listed = MilestoneRules.totals(config, "forecast.totals", config.forecastTotals());
            Set<String> totals = new LinkedHashSet<>(listed);
            if (listed.isEmpty()) {
                totals.add(Dimension.NATIONAL.name() + "|" + config.country());
                totals.addAll(rules.allThresholds().keySet());
            }
            List<Watched> watched = new ArrayList<>();
            for (String total : totals) {
                String[] dm = total.split("\\|", 2);
                Dimension dimension = Dimension.valueOf(dm[0]);
                long[] thresholds = rules.thresholds(dimension, dm[1]);
                List<Long> cents = new ArrayList<>();
                if (thresholds != null) {
                    for (long t : thresholds) {
                        cents.add(t);
                    }
                }
                watched.add(new Watched(dimension, dm[1], cents));
            }
            return new Plan(new Forecaster(HolidayCalendar.packaged(), config.zone()), rules.history(),
                    new ReportingTime(config.zone()), config.forecastMinInterval(), config.country(), List.copyOf(watched));
        }
    }

    private final Forecaster forecaster;
    private final History history;
    private final ReportingTime time;
    private final long minIntervalMs;
    private final String country;
    /** The forecast totals by dimension and member: looked up per entry without building a key. */
    private final Map<Dimension, Map<String, Kept>> kept = new EnumMap<>(Dimension.class);
    private final List<Kept> all = new ArrayList<>();

    private KeyValueStore<String, byte[]> countedStore;
    private KeyValueStore<String, byte[]> forecastsStore;
    /** Stage 2's position in time: the latest place of an applied entry (epoch second); MIN_VALUE before any. */
    private long streamTime = Long.MIN_VALUE;

    /** What is kept of one forecast total: each year counted, those changed since stored, and its last forecast. */
    private static final class Kept {
        final Watched watched;
        /** {@code DIMENSION|MEMBER}; a year's store key is {@code year|} and this. */
        final String key;
        final TreeMap<Integer, CountedYear> years = new TreeMap<>();
        final Set<CountedYear> changed = new LinkedHashSet<>();
        /** The year the last entry went to: nearly every entry goes to the same one. */
        CountedYear current;
        boolean moved;
        long lastForecastMs;

        Kept(Watched watched) {
            this.watched = watched;
            this.key = watched.dimension().name() + "|" + watched.member();
        }
    }

    ForecastKeeper(Plan plan) {
        this.forecaster = plan.forecaster();
        this.history = plan.history();
        this.time = plan.time();
        this.minIntervalMs = plan.minInterval().toMillis();
        this.country = plan.country();
        for (Watched w : plan.totals()) {
            Kept k = new Kept(w);
            kept.computeIfAbsent(w.dimension(), d -> new HashMap<>()).put(w.member(), k);
            all.add(k);
        }
    }

    /** Whether any total is forecast (if not, the keeper needs no store and does nothing). */
    boolean forecastsAny() {
        return !all.isEmpty();
    }

    /** Reads what the stores hold: at every start, restart and rebalance, the stores are what counts. */
    void open(KeyValueStore<String, byte[]> countedYears, KeyValueStore<String, byte[]> forecasts) {
        this.countedStore = countedYears;
        this.forecastsStore = forecasts;
        Map<String, Kept> byKey = new HashMap<>();
        for (Kept k : all) {
            k.years.clear();
            k.changed.clear();
            k.current = null;
            k.moved = false;
            k.lastForecastMs = Long.MIN_VALUE;
            byKey.put(k.key, k);
        }
        streamTime = Long.MIN_VALUE;
        try (KeyValueIterator<String, byte[]> it = countedYears.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                int bar = kv.key.indexOf('|');
                Kept k = byKey.get(kv.key.substring(bar + 1));
                if (k == null) {
                    continue; // a total no longer forecast
                }
                CountedYear year = CountedYear.decode(kv.value, forecaster.holidays());
                k.years.put(Integer.parseInt(kv.key.substring(0, bar)), year);
                streamTime = Math.max(streamTime, year.latestCountedAt());
            }
        }
    }

    /** One applied entry: its contributions move the days of the forecast totals they belong to. */
    void apply(ChangeEntry e) {
        streamTime = Math.max(streamTime, e.orderedAt().getEpochSecond());
        if (all.isEmpty()) {
            return;
        }
        if (e.removed() != null) {
            count(e.removed(), -e.removed().cents(), true);
        }
        if (e.added() != null) {
            count(e.added(), e.added().cents(), e.removed() != null);
        }
    }

    private void count(Contribution c, long cents, boolean correction) {
        count(Dimension.NATIONAL, country, c, cents, correction);
        count(Dimension.CATEGORY, c.category(), c, cents, correction);
        count(Dimension.DESTINATION, c.destination(), c, cents, correction);
        count(Dimension.REGION, c.region(), c, cents, correction);
        count(Dimension.EXPORTER_SIZE, c.exporterSize().name(), c, cents, correction);
    }

    private void count(Dimension dimension, String member, Contribution c, long cents, boolean correction) {
        Map<String, Kept> byMember = kept.get(dimension);
        Kept k = byMember == null ? null : byMember.get(member);
        if (k == null) {
            return;
        }
        long at = c.acceptedAt().getEpochSecond();
        CountedYear y = k.current;
        if (y == null || y.calendar().dayOf(at) < 0) {
            y = k.years.computeIfAbsent(time.yearOf(c.acceptedAt()), forecaster::newCountedYear);
            k.current = y;
        }
        if (correction) {
            y.correct(at, cents, streamTime);
        } else {
            y.accept(at, cents);
        }
        k.changed.add(y);
        k.moved = true;
    }

    /**
     * After a round (and at every round tick, moved or not): stores the counted years it changed, and forecasts each
     * moved total whose last forecast is at least the interval old, handing each to {@code emit}.
     */
    void roundDone(long nowMs, Consumer<Forecast> emit) {
        for (Kept k : all) {
            for (CountedYear y : k.changed) {
                countedStore.put(y.year() + "|" + k.key, y.encode());
            }
            k.changed.clear();
        }
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
        Instant asOf = Instant.ofEpochSecond(streamTime);
        int year = time.yearOf(asOf);
        for (Kept k : all) {
            if (!k.moved || (k.lastForecastMs != Long.MIN_VALUE && nowMs - k.lastForecastMs < minIntervalMs)) {
                continue;
            }
            k.moved = false;
            CountedYear thisYear = k.years.get(year);
            if (thisYear == null) {
                continue; // a year that has ended, or nothing counted yet this year
            }
            k.lastForecastMs = nowMs;
            Watched w = k.watched;
            Forecast f = toContract(forecaster.forecast(new ForecastRequest(w.dimension(), w.member(), asOf, thisYear,
                    new ArrayList<>(k.years.subMap(year - 10, year).values()), history.of(w.dimension(), w.member()),
                    w.thresholdsCents())));
            forecastsStore.put(f.key(), ContractJson.instance().write(f));
            emit.accept(f);
        }
    }

    private Forecast toContract(io.exportcounter.pipeline.forecast.Forecast f) {
        List<Forecast.ThresholdForecast> thresholds = new ArrayList<>();
        for (io.exportcounter.pipeline.forecast.Forecast.ThresholdForecast t : f.thresholds()) {
            thresholds.add(new Forecast.ThresholdForecast(Money.fromCents(t.thresholdCents()),
                    t.expectedAt() == null ? null : time.inZone(t.expectedAt()),
                    t.expectedAt() == null ? null : time.englishClock(t.expectedAt()),
                    new Forecast.TimeRange(t.earliest() == null ? null : time.inZone(t.earliest()),
                            t.latest() == null ? null : time.inZone(t.latest())),
                    t.probabilityText() == null ? null : new BigDecimal(t.probabilityText())));
        }
        Forecast.Range range = f.yearEndRange() == null ? null
                : new Forecast.Range(Money.fromCents(f.yearEndRange().lowCents()), Money.fromCents(f.yearEndRange().highCents()));
        return new Forecast(Integer.toString(f.year()), f.dimension(), f.member(), time.inZone(f.asOf()),
                Money.fromCents(f.totalCents()), Money.fromCents(f.projectedYearEndCents()), range, thresholds, f.method());
    }
}
