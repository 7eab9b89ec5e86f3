package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.history.History;
import io.exportcounter.pipeline.history.HistoryPeriod;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.totals.TotalState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The API's answers computed from the stage-2 stores (CONTRACT.md section 7). Pure functions of a
 * {@link LocalStores.Snapshot}: the instance that holds the stores runs them, any other forwards the
 * request there, so every instance gives the same answer.
 */
final class StoreQueries {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final StringSerializer KEYS = new StringSerializer();
    /** The {@code source} of a figure the pipeline counted itself. */
    static final String COUNTED = "counted by the pipeline";

    private final ContractJson json = ContractJson.instance();
    private final String country;
    private final ZoneId zone;
    private final MilestoneRules rules;
    private final History history;

    StoreQueries(String country, ZoneId zone, MilestoneRules rules) {
        this.country = country;
        this.zone = zone;
        this.rules = rules;
        this.history = rules.history();
    }

    /** {@code GET /api/v1/totals/{period}}: the NATIONAL Total, as on the totals topic. */
    JsonNode national(LocalStores.Snapshot s, String period) {
        String key = Total.key(period, Dimension.NATIONAL, country);
        TotalState state = s.totals().get(key);
        if (state == null) {
            throw ApiException.notFound("no total for period " + period);
        }
        return Json.tree(json.write(state.toContract(key, zone)));
    }

    /** {@code GET /api/v1/totals/{period}/{dimension}}: every member, largest first, with its share. */
    JsonNode breakdown(LocalStores.Snapshot s, String period, Dimension dimension) {
        Map<String, Agg> members = scan(s, period, dimension, true);
        if (members.isEmpty() && s.totals().get(Total.key(period, Dimension.NATIONAL, country)) == null) {
            throw ApiException.notFound("no totals for period " + period);
        }
        ObjectNode out = Json.object().put("period", period).put("dimension", dimension.name());
        writeMembers(out, members, true);
        return out;
    }

    /**
     * {@code GET /api/v1/totals/{year}/{dimension}?throughMonth=N}: January to N of the year from the
     * monthly totals, and the same months of the year before as {@code previousYear}.
     */
    JsonNode breakdownThroughMonth(LocalStores.Snapshot s, String year, Dimension dimension, int throughMonth) {
        String previous = String.valueOf(Integer.parseInt(year) - 1);
        Map<String, Agg> current = months(s, year, dimension, throughMonth);
        Map<String, Agg> before = months(s, previous, dimension, throughMonth);
        if (current.isEmpty() && before.isEmpty()) {
            throw ApiException.notFound("no monthly totals for " + year + " or " + previous);
        }
        ObjectNode out = Json.object().put("period", year).put("dimension", dimension.name())
                .put("throughMonth", throughMonth)
                .put("from", year + "-01").put("to", String.format("%s-%02d", year, throughMonth));
        writeMembers(out, current, false);
        ObjectNode prev = out.putObject("previousYear").put("period", previous)
                .put("from", previous + "-01").put("to", String.format("%s-%02d", previous, throughMonth));
        writeMembers(prev, before, false);
        return out;
    }

    /**
     * {@code GET /api/v1/milestones[?period=P]}: the milestones in force (latest event CROSSED), oldest
     * first. A year also matches the milestones of its months and quarters ({@code 2025-06},
     * {@code 2025-Q3}); a month or a quarter matches only itself.
     */
    JsonNode milestones(LocalStores.Snapshot s, String period) {
        List<Milestone> inForce = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = s.milestones().all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Milestone m = parse(kv.key, kv.value);
                if (m.type() == MilestoneType.CROSSED && matches(m.period(), period)) {
                    inForce.add(m);
                }
            }
        }
        inForce.sort(Comparator.comparing((Milestone m) -> m.crossedAt().toInstant())
                .thenComparing(Milestone::detectedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                .thenComparing(Milestone::thresholdUsd, Comparator.nullsFirst(Comparator.<BigDecimal>naturalOrder()))
                .thenComparing(Milestone::milestoneId));
        ObjectNode out = Json.object();
        if (period == null) {
            out.putNull("period");
        } else {
            out.put("period", period);
        }
        ArrayNode list = out.putArray("milestones");
        for (Milestone m : inForce) {
            list.add(Json.tree(json.write(m)));
        }
        return out;
    }

    /**
     * {@code GET /api/v1/forecast/{year}[/{dimension}/{member}]}: the latest forecast of that annual total
     * (CONTRACT.md section 5b), as on the forecasts topic; 404 when stage 2 has made none for it.
     */
    JsonNode forecast(LocalStores.Snapshot s, String year, Dimension dimension, String member) {
        String key = year + "|" + dimension.name() + "|" + member;
        byte[] value = s.forecasts().get(key);
        if (value == null) {
            throw ApiException.notFound("no forecast for " + dimension + " " + member + " in " + year);
        }
        try {
            // Read and written again: what leaves is a contract Forecast, whatever the store holds.
            return Json.tree(json.write(json.parseForecast(value)));
        } catch (InvalidRecordException e) {
            throw new IllegalStateException("forecasts store holds an unreadable forecast " + key, e);
        }
    }

    /** The NATIONAL forecast of the reporting country: {@code GET /api/v1/forecast/{year}}. */
    JsonNode nationalForecast(LocalStores.Snapshot s, String year) {
        return forecast(s, year, Dimension.NATIONAL, country);
    }

    /** {@code GET /api/v1/periods}: the years that have totals, newest first. */
    JsonNode periods(LocalStores.Snapshot s) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("years");
        countedYears(s).forEach(list::add);
        return out;
    }

    /** The years that have totals in the store, newest first. */
    private static List<String> countedYears(LocalStores.Snapshot s) {
        List<String> years = new ArrayList<>();
        String below = null;
        // Keys start with the year, so each reverse seek below the last year found lands on the next one.
        for (int i = 0; i < 1000; i++) {
            try (KeyValueIterator<String, TotalState> it = below == null ? s.totals().reverseAll()
                    : s.totals().reverseRange("0000", below)) {
                if (!it.hasNext()) {
                    break;
                }
                String key = it.next().key;
                below = key.substring(0, 4);
                years.add(below);
            }
        }
        return years;
    }

    /**
     * {@code GET /api/v1/history/{dimension}/{member}}: what records and first-time crossings of one total
     * compare with (CONTRACT.md section 5a): the published figures of the history, each with its source,
     * where every period the pipeline counted itself replaces the published figure ({@code "counted": true}).
     * Years, months and years to date through a quarter, each in period order; {@code since} is the first
     * year with any figure; {@code records} the record kinds configured for the total.
     */
    JsonNode history(LocalStores.Snapshot s, Dimension dimension, String member) {
        History.Series series = history.of(dimension, member);
        boolean withExporters = dimension == Dimension.NATIONAL || dimension == Dimension.EXPORTER_SIZE;
        TreeMap<HistoryPeriod, ObjectNode> years = new TreeMap<>();
        TreeMap<HistoryPeriod, ObjectNode> months = new TreeMap<>();
        TreeMap<HistoryPeriod, ObjectNode> yearsToDate = new TreeMap<>();
        series.years().values().forEach(f -> years.put(f.period(), published(f)));
        series.months().values().forEach(f -> months.put(f.period(), published(f)));
        series.yearsToDate().values().forEach(f -> yearsToDate.put(f.period(), published(f)));

        List<String> counted = countedYears(s);
        for (String y : counted) {
            int year = Integer.parseInt(y);
            TotalState annual = live(s.totals().get(Total.key(y, dimension, member)));
            if (annual != null) {
                years.put(HistoryPeriod.ofYear(year), counted(y, annual.cents(), withExporters ? annual.exporters() : null,
                        annual.declarations(), annual.asOf()));
            }
            TotalState[] monthStates = new TotalState[13];
            for (int m = 1; m <= 12; m++) {
                HistoryPeriod p = HistoryPeriod.ofMonth(year, m);
                TotalState state = live(s.totals().get(Total.key(p.toString(), dimension, member)));
                monthStates[m] = state;
                if (state != null) {
                    months.put(p, counted(p.toString(), state.cents(), withExporters ? state.exporters() : null,
                            state.declarations(), state.asOf()));
                }
            }
            // A year to date through a quarter the pipeline counted: every month of it counted, and the
            // quarter closed (a declaration accepted after its end counted, as for YEAR_TO_DATE_RECORD).
            long cents = 0;
            long declarations = 0;
            Instant asOf = null;
            for (int q = 1; q <= 4; q++) {
                boolean complete = true;
                for (int m = 3 * q - 2; m <= 3 * q; m++) {
                    TotalState state = monthStates[m];
                    if (state == null) {
                        complete = false;
                        break;
                    }
                    cents = Math.addExact(cents, state.cents());
                    declarations += state.declarations();
                    if (state.asOf() != null && (asOf == null || state.asOf().isAfter(asOf))) {
                        asOf = state.asOf();
                    }
                }
                if (!complete || !quarterClosed(s, counted, year, q)) {
                    break;
                }
                HistoryPeriod p = HistoryPeriod.ofQuarter(year, q);
                // Distinct exporters of the year so far are known only as of the year's end (the annual total):
                // through an earlier quarter the store keeps no count of its own.
                Long exporters = q == 4 && withExporters && annual != null ? annual.exporters() : null;
                yearsToDate.put(p, counted(p.toString(), cents, exporters, declarations, asOf));
            }
        }
        if (years.isEmpty() && months.isEmpty() && yearsToDate.isEmpty()) {
            throw ApiException.notFound("no history and no counted totals for " + dimension + " " + member);
        }
        int since = Integer.MAX_VALUE;
        for (TreeMap<HistoryPeriod, ObjectNode> map : List.of(years, months, yearsToDate)) {
            if (!map.isEmpty()) {
                since = Math.min(since, map.firstKey().year());
            }
        }
        ObjectNode out = Json.object().put("dimension", dimension.name()).put("member", member)
                .put("since", String.valueOf(since));
        years.values().forEach(out.putArray("years")::add);
        months.values().forEach(out.putArray("months")::add);
        yearsToDate.values().forEach(out.putArray("yearsToDate")::add);
        int flags = rules.records(dimension, member);
        ArrayNode records = out.putArray("records");
        if ((flags & MilestoneRules.ANNUAL) != 0) {
            records.add(MilestoneKind.ANNUAL_RECORD.name());
        }
        if ((flags & MilestoneRules.CALENDAR_MONTH) != 0) {
            records.add(MilestoneKind.CALENDAR_MONTH_RECORD.name());
        }
        if ((flags & MilestoneRules.MONTHLY) != 0) {
            records.add(MilestoneKind.MONTHLY_RECORD.name());
        }
        if ((flags & (MilestoneRules.YTD_VALUE | MilestoneRules.YTD_EXPORTERS)) != 0) {
            records.add(MilestoneKind.YEAR_TO_DATE_RECORD.name());
            ArrayNode measures = out.putArray("yearToDateMeasures");
            if ((flags & MilestoneRules.YTD_VALUE) != 0) {
                measures.add("VALUE");
            }
            if ((flags & MilestoneRules.YTD_EXPORTERS) != 0) {
                measures.add("EXPORTERS");
            }
        }
        return out;
    }

    /** Whether stage 2 counted a declaration accepted after the end of quarter {@code q} of {@code year}. */
    private boolean quarterClosed(LocalStores.Snapshot s, List<String> counted, int year, int q) {
        Instant end = ZonedDateTime.of(q == 4 ? year + 1 : year, q == 4 ? 1 : 3 * q + 1, 1, 0, 0, 0, 0, zone).toInstant();
        for (String y : counted) {
            if (Integer.parseInt(y) < year) {
                continue;
            }
            TotalState national = s.totals().get(Total.key(y, Dimension.NATIONAL, country));
            if (national != null && national.asOf() != null && !national.asOf().isBefore(end)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode published(History.Figure f) {
        ObjectNode o = Json.object().put("period", f.period().toString());
        putCents(o, "totalUsd", f.cents());
        if (f.exporters() == null) {
            o.putNull("exporters");
        } else {
            o.put("exporters", f.exporters());
        }
        return o.put("source", f.source()).put("counted", false);
    }

    private ObjectNode counted(String period, long cents, Long exporters, long declarations, Instant asOf) {
        ObjectNode o = Json.object().put("period", period).put("totalUsd", Money.format(cents));
        if (exporters == null) {
            o.putNull("exporters");
        } else {
            o.put("exporters", exporters);
        }
        o.put("source", COUNTED).put("counted", true).put("declarations", declarations);
        if (asOf == null) {
            o.putNull("asOf");
        } else {
            o.put("asOf", ContractJson.formatDateTime(asOf.atZone(zone).toOffsetDateTime()));
        }
        return o;
    }

    private static void putCents(ObjectNode o, String field, Long cents) {
        if (cents == null) {
            o.putNull(field);
        } else {
            o.put(field, Money.format(cents));
        }
    }

    /** A total with a live declaration, or null (absent, or every declaration of it cancelled). */
    private static TotalState live(TotalState t) {
        return t == null || (t.cents() == 0 && t.declarations() == 0) ? null : t;
    }

    /**
     * {@code GET /api/v1/monthly/{year}}: the national total of each month of the year and of the year
     * before. A month of the year before that the pipeline never counted comes from the packaged
     * monthly history ({@code "source": "history"}); months of the year itself come only from counting.
     */
    JsonNode monthly(LocalStores.Snapshot s, String year) {
        int y = Integer.parseInt(year);
        ObjectNode out = Json.object().put("year", year).put("country", country);
        boolean any = writeMonths(s, out.putArray("months"), y, false);
        if (!any) {
            throw ApiException.notFound("no monthly totals for " + year);
        }
        ObjectNode prev = out.putObject("previousYear").put("year", String.valueOf(y - 1));
        writeMonths(s, prev.putArray("months"), y - 1, true);
        return out;
    }

    private boolean writeMonths(LocalStores.Snapshot s, ArrayNode months, int year, boolean historyFallback) {
        boolean any = false;
        for (int m = 1; m <= 12; m++) {
            YearMonth ym = YearMonth.of(year, m);
            String key = Total.key(ym.toString(), Dimension.NATIONAL, country);
            TotalState state = s.totals().get(key);
            ObjectNode month = Json.object().put("month", ym.toString());
            if (state != null) {
                any = true;
                month.put("totalUsd", Money.format(state.cents())).put("declarations", state.declarations())
                        .put("source", "pipeline");
            } else if (historyFallback && published(ym) != null) {
                month.put("totalUsd", Money.format(published(ym))).putNull("declarations").put("source", "history");
            } else {
                month.putNull("totalUsd").putNull("declarations").putNull("source");
            }
            months.add(month);
        }
        return any;
    }

    /** The published national value of a month, or null when the history has none. */
    private Long published(YearMonth ym) {
        History.Figure f = history.of(Dimension.NATIONAL, country).months()
                .get(HistoryPeriod.ofMonth(ym.getYear(), ym.getMonthValue()));
        return f == null ? null : f.cents();
    }

    /** A member's sum over one or more totals. */
    private static final class Agg {
        long cents;
        long declarations;
        Long exporters;
        Instant asOf;

        void add(TotalState t, boolean withExporters) {
            cents += t.cents();
            declarations += t.declarations();
            if (withExporters) {
                exporters = t.exporters();
            }
            Instant at = t.asOf();
            if (at != null && (asOf == null || at.isAfter(asOf))) {
                asOf = at;
            }
        }
    }

    private Map<String, Agg> months(LocalStores.Snapshot s, String year, Dimension dimension, int through) {
        Map<String, Agg> sum = new HashMap<>();
        for (int m = 1; m <= through; m++) {
            scan(s, String.format("%s-%02d", year, m), dimension, false).forEach((member, agg) -> {
                Agg total = sum.computeIfAbsent(member, k -> new Agg());
                total.cents += agg.cents;
                total.declarations += agg.declarations;
                if (agg.asOf != null && (total.asOf == null || agg.asOf.isAfter(total.asOf))) {
                    total.asOf = agg.asOf;
                }
            });
        }
        // A member whose declarations were all cancelled is no longer part of the breakdown.
        sum.values().removeIf(a -> a.cents == 0 && a.declarations == 0);
        return sum;
    }

    /** The totals of one period and dimension, by member; members without any live declaration left out. */
    private Map<String, Agg> scan(LocalStores.Snapshot s, String period, Dimension dimension, boolean withExporters) {
        String prefix = period + "|" + dimension.name() + "|";
        boolean exporters = withExporters && (dimension == Dimension.NATIONAL || dimension == Dimension.EXPORTER_SIZE);
        Map<String, Agg> members = new HashMap<>();
        try (KeyValueIterator<String, TotalState> it = s.totals().prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, TotalState> kv = it.next();
                if (kv.value.cents() == 0 && kv.value.declarations() == 0) {
                    continue;
                }
                members.computeIfAbsent(kv.key.substring(prefix.length()), k -> new Agg()).add(kv.value, exporters);
            }
        }
        return members;
    }

    private void writeMembers(ObjectNode out, Map<String, Agg> members, boolean withExporters) {
        long total = 0;
        Instant asOf = null;
        for (Agg a : members.values()) {
            total = Math.addExact(total, a.cents);
            if (a.asOf != null && (asOf == null || a.asOf.isAfter(asOf))) {
                asOf = a.asOf;
            }
        }
        out.put("totalUsd", Money.format(total));
        if (asOf == null) {
            out.putNull("asOf");
        } else {
            out.put("asOf", ContractJson.formatDateTime(asOf.atZone(zone).toOffsetDateTime()));
        }
        List<Map.Entry<String, Agg>> sorted = new ArrayList<>(members.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, Agg> e) -> e.getValue().cents).reversed()
                .thenComparing(Map.Entry::getKey));
        ArrayNode list = out.putArray("members");
        for (Map.Entry<String, Agg> e : sorted) {
            Agg a = e.getValue();
            ObjectNode m = list.addObject().put("member", e.getKey()).put("totalUsd", Money.format(a.cents))
                    .put("declarations", a.declarations).put("share", share(a.cents, total));
            if (withExporters && a.exporters != null) {
                m.put("exporters", a.exporters);
            }
        }
    }

    /** The percent {@code part} is of {@code whole}, one decimal, half-up: {@code "35.7"}. */
    static String share(long part, long whole) {
        if (whole <= 0) {
            return "0.0";
        }
        return BigDecimal.valueOf(part).multiply(HUNDRED)
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP).toPlainString();
    }

    private static boolean matches(String milestonePeriod, String filter) {
        if (filter == null) {
            return true;
        }
        // A year covers its months (2025-06) and its years to date through a quarter (2025-Q3).
        return milestonePeriod.equals(filter) || (filter.length() == 4 && milestonePeriod.startsWith(filter + "-"));
    }

    private Milestone parse(String key, byte[] value) {
        try {
            return json.parseMilestone(value);
        } catch (InvalidRecordException e) {
            throw new IllegalStateException("milestones store holds an unreadable milestone " + key, e);
        }
    }
}
