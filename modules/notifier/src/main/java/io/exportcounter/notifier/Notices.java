package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.contract.ReportingTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the press notice of a milestone, and the heads-up of a forecast, from the templates in {@code config/notices/}
 * ({@code en.properties}, {@code ko.properties}; the format is described at the top of each file).
 *
 * <p>A CROSSED notice is dated by {@code crossedAt}, the acceptance time of the declaration that
 * made the total reach the threshold, as the ministry dates its announcements ("as of 1:03 p.m.").
 * A RETRACTED notice is a correction, dated by {@code detectedAt}: when the corrections were counted.
 * A year-to-date record is told "through the third quarter", not dated: its {@code crossedAt} is only the
 * start of the next quarter.
 *
 * <p>Every kind has its template ({@code threshold.crossed}, {@code annual-record.crossed}, ...). The v2
 * story of a milestone (first time, the record it beat and since when, the streak) is put in from the
 * milestone's fields, never from the templates: a field the milestone lacks leaves its piece out, so a
 * threshold without a story (v1) still reads as it always did, and no notice ever says "null".
 *
 * <p>Templates are checked when loaded: a missing key or an unknown {@code {placeholder}} stops the
 * start with a {@link NotifierConfigException} naming {@code notices.templates}, the file and the key.
 */
public final class Notices {
    static final String CONFIG_KEY = "notices.templates";
    private static final String PACKAGED = "/io/exportcounter/notifier/notices/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** Placeholders every template may use (each empty where it does not apply). */
    static final Set<String> PLACEHOLDERS = Set.of("time", "date", "shortDate", "zone", "year", "month", "country",
            "member", "what", "short", "threshold", "total", "record", "milestoneId", "declarationId", "type",
            "detectedAt",
            // v2: the story of a milestone
            "exports", "monthName", "quarter", "firstMonth", "lastMonth", "firstReached", "previousThreshold",
            "previousYear", "yearsAfter", "recordPeriod", "previous", "sinceYear", "since", "streakCount",
            "streakOrdinal", "streak", "exporters", "bestExporters", "previousCount", "exportersWhat",
            // a forecast's heads-up
            "around", "day", "dayDate", "earliestTime", "earliestDay", "latestTime", "latestDay", "range",
            "probability", "asOf");

    /** The notice templates, by kind: {@code <kind>.crossed} and {@code <kind>.retracted}, and a subject each. */
    private static final List<String> KINDS = List.of("threshold", "monthly-record", "annual-record",
            "calendar-month-record", "ytd-record.value", "ytd-record.exporters");
    /** How a first crossing of a threshold is told, beside the plain {@code threshold.crossed}. */
    private static final List<String> THRESHOLD_VARIANTS = List.of("threshold.crossed.first-time",
            "threshold.crossed.first-time.after", "threshold.crossed.first-time.same-year", "threshold.crossed.again");
    /** Pieces the notices above take in where they apply. */
    private static final List<String> PARTS = List.of("part.since", "part.streak", "part.previous",
            "part.previous.undated", "part.previous-count", "part.previous-count.undated");
    private static final List<String> OTHER_KEYS = List.of("email.footer", "format.date", "format.short-date",
            "format.month", "format.month-name", "format.year");
    /** A forecast's heads-up: the notice, its footer, the expected day as seen from the forecast, its optional pieces. */
    private static final List<String> HEADS_UP_KEYS = List.of("forecast.approaching", "forecast.email.footer",
            "forecast.day.today", "forecast.day.tomorrow", "forecast.day.later", "part.forecast.range",
            "part.forecast.probability", "format.day");

    private final Language en;
    private final Language ko;
    private final ZoneId zone;
    private final String zoneLabel;
    private final String country;

    private Notices(Language en, Language ko, ZoneId zone, String zoneLabel, String country) {
        this.en = en;
        this.ko = ko;
        this.zone = zone;
        this.zoneLabel = zoneLabel;
        this.country = country;
    }

    /** The templates the config points at (or the packaged ones), checked. */
    public static Notices load(NotifierConfig config) {
        Path dir = config.templatesDir();
        Properties enP = dir == null ? packaged("en.properties") : file(dir.resolve("en.properties"));
        Properties koP = dir == null ? packaged("ko.properties") : file(dir.resolve("ko.properties"));
        Notices n = new Notices(new Language("en.properties", enP, Locale.ENGLISH, true),
                new Language("ko.properties", koP, Locale.KOREAN, false),
                config.zone(), config.zoneLabel(), config.country());
        n.check();
        return n;
    }

    /** Writes the notice of {@code m}. */
    public Notice write(Milestone m) {
        Map<String, String> enVars = vars(m, en);
        Map<String, String> koVars = vars(m, ko);
        String kind = kindKey(m);
        String key = kind + (m.type() == MilestoneType.CROSSED ? ".crossed" : ".retracted");
        String noticeKey = m.type() == MilestoneType.CROSSED && m.kind() == MilestoneKind.THRESHOLD
                ? thresholdVariant(m) : key;
        return new Notice(en.render(noticeKey, enVars), ko.render(noticeKey, koVars), en.render("subject." + key, enVars),
                en.render("email.footer", enVars), ko.render("email.footer", koVars));
    }

    /**
     * Writes the heads-up notice of {@code h}: when the threshold is expected to be crossed, as the forecast sees it
     * from its {@code asOf} ("around 2 p.m. tomorrow, December 29"), its 80% range when both ends are known, and that
     * it is an estimate. Times are rounded to the hour: the nearest for the expected time, outwards for the range.
     */
    public Notice write(HeadsUp h) {
        Map<String, String> enVars = headsUpVars(h, en);
        Map<String, String> koVars = headsUpVars(h, ko);
        return new Notice(capitalized(en.render("forecast.approaching", enVars)), ko.render("forecast.approaching", koVars),
                en.render("subject.forecast.approaching", enVars), en.render("forecast.email.footer", enVars),
                ko.render("forecast.email.footer", koVars));
    }

    /** English sentences start with a capital ("The exports of Korea's ..." from {@code exports.EXPORTER_SIZE}). */
    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private Map<String, String> headsUpVars(HeadsUp h, Language lang) {
        Forecast f = h.forecast();
        Forecast.ThresholdForecast t = h.threshold();
        ZonedDateTime asOf = f.asOf().atZoneSameInstant(zone);
        ZonedDateTime expected = t.expectedAt().atZoneSameInstant(zone).plusMinutes(30).truncatedTo(ChronoUnit.HOURS);
        Map<String, String> v = new HashMap<>();
        v.put("year", f.year());
        String countryCode = f.dimension() == Dimension.NATIONAL ? f.member() : country;
        v.put("country", lang.name("country", countryCode));
        v.put("member", memberName(f.dimension(), f.member(), lang));
        v.put("zone", zoneLabel != null ? zoneLabel : DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(expected));
        v.put("threshold", lang.english ? Amounts.english(t.thresholdUsd()) : Amounts.korean(t.thresholdUsd()));
        v.put("milestoneId", h.milestoneId());
        v.put("type", HeadsUp.TYPE);
        v.put("asOf", ContractJson.formatDateTime(f.asOf()));
        v.put("around", hour(expected, lang));
        v.put("date", lang.format("format.date", expected));
        v.put("shortDate", lang.format("format.short-date", expected));
        v.put("dayDate", lang.format("format.day", expected));
        long daysAhead = ChronoUnit.DAYS.between(asOf.toLocalDate(), expected.toLocalDate());
        v.put("day", lang.render(daysAhead == 0 ? "forecast.day.today" : daysAhead == 1 ? "forecast.day.tomorrow"
                : "forecast.day.later", v));
        Map<String, String> inner = new HashMap<>(v);
        v.put("what", lang.render("what." + f.dimension().name(), inner));
        v.put("exports", lang.render("exports." + f.dimension().name(), inner));
        if (lang.english) {
            v.put("short", lang.render("short." + f.dimension().name(), inner));
        }
        if (t.range().earliest() != null && t.range().latest() != null) {
            ZonedDateTime earliest = t.range().earliest().atZoneSameInstant(zone).truncatedTo(ChronoUnit.HOURS);
            ZonedDateTime latest = t.range().latest().atZoneSameInstant(zone);
            ZonedDateTime latestHour = latest.truncatedTo(ChronoUnit.HOURS);
            latest = latestHour.equals(latest) ? latest : latestHour.plusHours(1);
            v.put("earliestTime", hour(earliest, lang));
            v.put("earliestDay", lang.format("format.day", earliest));
            v.put("latestTime", hour(latest, lang));
            v.put("latestDay", lang.format("format.day", latest));
            v.put("range", lang.render("part.forecast.range", v));
        }
        if (t.probabilityThisYear() != null) {
            v.put("probability", t.probabilityThisYear().movePointRight(2).setScale(0, RoundingMode.HALF_UP).toPlainString() + "%");
            v.put("probability", lang.render("part.forecast.probability", v));
        }
        return v;
    }

    /** An hour of the day: {@code 2 p.m.}, {@code 12 a.m.} at midnight (the contract's style); {@code 오후 2시}. */
    private static String hour(ZonedDateTime t, Language lang) {
        java.time.LocalTime at = java.time.LocalTime.of(t.getHour(), 0);
        if (!lang.english) {
            return ReportingTime.koreanClock(at);
        }
        int h = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        return h + (t.getHour() < 12 ? " a.m." : " p.m.");
    }

    /** The template family of a milestone: {@code threshold}, {@code annual-record}, {@code ytd-record.value}, ... */
    private static String kindKey(Milestone m) {
        return switch (m.kind()) {
            case THRESHOLD -> "threshold";
            case MONTHLY_RECORD -> "monthly-record";
            case ANNUAL_RECORD -> "annual-record";
            case CALENDAR_MONTH_RECORD -> "calendar-month-record";
            case YEAR_TO_DATE_RECORD -> countsExporters(m) ? "ytd-record.exporters" : "ytd-record.value";
        };
    }

    /** A year-to-date record of the number of exporters, with both counts (else it is told by its value). */
    private static boolean countsExporters(Milestone m) {
        Milestone.Story st = m.story();
        return st.measure() == RecordMeasure.EXPORTERS && st.exporters() != null && st.previousBestExporters() != null;
    }

    /**
     * How a threshold crossing is put in its history: the first time (and how long after the threshold
     * below it), a level reached before, or -- no history given, a v1 milestone -- not at all.
     */
    private static String thresholdVariant(Milestone m) {
        Milestone.Story st = m.story();
        if (st.firstTime() == null) {
            return "threshold.crossed";
        }
        if (!st.firstTime()) {
            return year(st.firstReached()) != null ? "threshold.crossed.again" : "threshold.crossed";
        }
        Integer since = yearsAfterPrevious(m);
        if (since == null) {
            return "threshold.crossed.first-time";
        }
        return since == 0 ? "threshold.crossed.first-time.same-year" : "threshold.crossed.first-time.after";
    }

    /** Years between the first crossing of the threshold below and this one; null when unknown or nonsense. */
    private static Integer yearsAfterPrevious(Milestone m) {
        Milestone.Story st = m.story();
        Integer previous = year(st.previousThresholdFirstReached());
        Integer now = year(m.period().substring(0, Math.min(4, m.period().length())));
        if (st.previousThresholdUsd() == null || previous == null || now == null || previous > now) {
            return null;
        }
        return now - previous;
    }

    private static Integer year(String s) {
        return s != null && s.matches("\\d{4}") ? Integer.valueOf(s) : null;
    }

    // ------------------------------------------------------------------ variables

    private Map<String, String> vars(Milestone m, Language lang) {
        // A crossing is dated by the declaration that made it; a correction by when it was counted.
        Instant at = m.type() == MilestoneType.CROSSED && m.crossedAt() != null
                ? m.crossedAt().toInstant() : m.detectedAt();
        ZonedDateTime local = at.atZone(zone);
        Map<String, String> v = new HashMap<>();
        v.put("time", lang.english ? ReportingTime.englishClock(local.toLocalTime())
                : ReportingTime.koreanClock(local.toLocalTime()));
        v.put("date", lang.format("format.date", local));
        v.put("shortDate", lang.format("format.short-date", local));
        v.put("zone", zoneLabel != null ? zoneLabel : DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(local));
        Period period = Period.parse(m.period());
        YearMonth month = period != null ? period.month() : YearMonth.from(local);
        v.put("year", period != null ? Integer.toString(period.year()) : m.period());
        v.put("month", lang.format("format.month", month));
        v.put("monthName", lang.format("format.month-name", month));
        if (period != null && period.quarter() > 0) {
            v.put("quarter", lang.english ? Words.ordinal(period.quarter()) : Integer.toString(period.quarter()));
            v.put("firstMonth", lang.format("format.month-name", YearMonth.of(period.year(), 1)));
            v.put("lastMonth", lang.format("format.month-name", month));
        }
        String countryCode = m.dimension() == Dimension.NATIONAL ? m.member() : country;
        v.put("country", lang.name("country", countryCode));
        v.put("member", memberName(m.dimension(), m.member(), lang));
        v.put("milestoneId", m.milestoneId());
        v.put("declarationId", m.declarationId() == null ? "-" : m.declarationId());
        v.put("type", m.type().name());
        v.put("detectedAt", ContractJson.formatUtcMillis(m.detectedAt()));
        putStory(m, lang, v);
        // what/short/exports are small templates of their own, per dimension.
        Map<String, String> inner = new HashMap<>(v);
        v.put("what", lang.render("what." + m.dimension().name(), inner));
        v.put("exports", lang.render("exports." + m.dimension().name(), inner));
        if (lang.english) {
            v.put("short", lang.render("short." + m.dimension().name(), inner));
        }
        putAmounts(m, lang, v);
        putParts(m, lang, v);
        return v;
    }

    /** The v2 fields as text: empty where a milestone does not carry them. */
    private static void putStory(Milestone m, Language lang, Map<String, String> v) {
        Milestone.Story st = m.story();
        if (year(st.firstReached()) != null) {
            v.put("firstReached", st.firstReached());
        }
        if (st.previousThresholdUsd() != null) {
            v.put("previousThreshold", lang.english ? Amounts.english(st.previousThresholdUsd())
                    : Amounts.korean(st.previousThresholdUsd()));
        }
        if (year(st.previousThresholdFirstReached()) != null) {
            v.put("previousYear", st.previousThresholdFirstReached());
        }
        Integer years = yearsAfterPrevious(m);
        if (years != null) {
            v.put("yearsAfter", lang.english ? Words.years(years) : years + "년");
        }
        Period held = Period.parse(st.recordPeriod());
        if (held != null) {
            // A year-to-date record is held by a year ("above 2024's"), a month record by its month.
            v.put("recordPeriod", held.isMonth() ? lang.format("format.month", held.month())
                    : lang.format("format.year", held.month()));
        }
        if (year(st.since()) != null) {
            v.put("sinceYear", st.since());
        }
        if (st.streak() != null) {
            v.put("streakCount", st.streak().toString());
            v.put("streakOrdinal", Words.ordinal(st.streak()));
        }
        if (st.exporters() != null) {
            v.put("exporters", lang.english ? Amounts.englishCount(st.exporters()) : Amounts.koreanCount(st.exporters()));
        }
        if (st.previousBestExporters() != null) {
            v.put("bestExporters", lang.english ? Amounts.englishCount(st.previousBestExporters())
                    : Amounts.koreanCount(st.previousBestExporters()));
        }
    }

    private static void putAmounts(Milestone m, Language lang, Map<String, String> v) {
        v.put("threshold", lang.english ? Amounts.english(m.thresholdUsd()) : Amounts.korean(m.thresholdUsd()));
        // A total that just fell below a threshold is rounded down, so it never reads as the threshold.
        RoundingMode totalMode = m.type() == MilestoneType.RETRACTED ? RoundingMode.DOWN : RoundingMode.HALF_UP;
        if (m.kind() == MilestoneKind.THRESHOLD) {
            v.put("total", amount(lang, m.totalUsd(), 0, totalMode));
            v.put("record", amount(lang, m.thresholdUsd(), 0, RoundingMode.HALF_UP));
        } else {
            // "$683.8 billion, passing 2024's $683.8 billion" says nothing: write both finer.
            String[] pair = Amounts.pair(m.totalUsd(), totalMode, m.thresholdUsd(), RoundingMode.HALF_UP, lang.english);
            v.put("total", pair[0]);
            v.put("record", pair[1]);
        }
    }

    /** The optional pieces: "(records since 2018)", the record beaten with its period, the streak sentence. */
    private static void putParts(Milestone m, Language lang, Map<String, String> v) {
        Map<String, String> inner = new HashMap<>(v);
        boolean dated = v.containsKey("recordPeriod");
        v.put("previous", lang.render(dated ? "part.previous" : "part.previous.undated", inner));
        if (v.containsKey("bestExporters")) {
            v.put("previousCount", lang.render(dated ? "part.previous-count" : "part.previous-count.undated", inner));
        }
        if (v.containsKey("sinceYear")) {
            v.put("since", lang.render("part.since", inner));
        }
        Integer streak = m.story().streak();
        if (streak != null && streak >= 2) {
            v.put("streak", lang.render("part.streak", inner));
        }
        if (v.containsKey("exporters")) {
            v.put("exportersWhat", lang.render("exporters." + m.dimension().name(), inner));
        }
    }

    private static String amount(Language lang, BigDecimal usd, int level, RoundingMode mode) {
        return lang.english ? Amounts.english(usd, level, mode) : Amounts.korean(usd, level, mode);
    }

    private static String memberName(Dimension dimension, String member, Language lang) {
        return switch (dimension) {
            case NATIONAL -> lang.name("country", member);
            case CATEGORY -> lang.name("category", member);
            case DESTINATION -> lang.name("destination", member);
            case REGION -> lang.name("region", member);
            case EXPORTER_SIZE -> lang.name("exporter-size", member);
        };
    }

    /** A milestone's period: a year ({@code 2025}), a month ({@code 2025-06}) or a year to a quarter's end ({@code 2025-Q3}). */
    private record Period(int year, YearMonth month, int quarter, boolean isMonth) {
        /** The period, or null when {@code s} is none of these. For a year, month is December; for a quarter, its last month. */
        static Period parse(String s) {
            if (s == null) {
                return null;
            }
            if (s.matches("\\d{4}")) {
                int y = Integer.parseInt(s);
                return new Period(y, YearMonth.of(y, 12), 0, false);
            }
            if (s.matches("\\d{4}-(0[1-9]|1[0-2])")) {
                YearMonth ym = YearMonth.parse(s);
                return new Period(ym.getYear(), ym, 0, true);
            }
            if (s.matches("\\d{4}-Q[1-4]")) {
                int y = Integer.parseInt(s.substring(0, 4));
                int q = s.charAt(6) - '0';
                return new Period(y, YearMonth.of(y, q * 3), q, false);
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ checking

    private void check() {
        for (Language lang : List.of(en, ko)) {
            List<String> required = new ArrayList<>(OTHER_KEYS);
            for (String kind : KINDS) {
                required.add(kind + ".crossed");
                required.add(kind + ".retracted");
                if (lang.english) {
                    required.add("subject." + kind + ".crossed");
                    required.add("subject." + kind + ".retracted");
                }
            }
            required.addAll(THRESHOLD_VARIANTS);
            required.addAll(PARTS);
            required.addAll(HEADS_UP_KEYS);
            if (lang.english) {
                required.add("subject.forecast.approaching");
            }
            for (Dimension d : Dimension.values()) {
                required.add("what." + d.name());
                required.add("exports." + d.name());
                required.add("exporters." + d.name());
                if (lang.english) {
                    required.add("short." + d.name());
                }
            }
            for (String key : required) {
                if (lang.props.getProperty(key, "").isBlank()) {
                    throw new NotifierConfigException(CONFIG_KEY, lang.file + " has no template '" + key + "'");
                }
            }
            for (String key : lang.props.stringPropertyNames()) {
                Matcher m = PLACEHOLDER.matcher(lang.props.getProperty(key));
                while (m.find()) {
                    if (!PLACEHOLDERS.contains(m.group(1))) {
                        throw new NotifierConfigException(CONFIG_KEY, lang.file + ": '" + key
                                + "' uses unknown placeholder {" + m.group(1) + "} (known: " + PLACEHOLDERS + ")");
                    }
                }
                if (key.startsWith("format.")) {
                    try {
                        DateTimeFormatter.ofPattern(lang.props.getProperty(key), lang.locale);
                    } catch (IllegalArgumentException e) {
                        throw new NotifierConfigException(CONFIG_KEY, lang.file + ": '" + key
                                + "' is not a date pattern: " + e.getMessage());
                    }
                }
            }
        }
        // A dry run over every kind of notice catches anything the checks above missed.
        for (Milestone m : samples()) {
            write(m);
        }
        for (HeadsUp h : headsUpSamples()) {
            write(h);
        }
    }

    /** A heads-up for every dimension: today, tomorrow and later, with and without a range and a probability. */
    List<HeadsUp> headsUpSamples() {
        OffsetDateTime asOf = OffsetDateTime.parse("2025-12-28T15:00:00+09:00");
        List<HeadsUp> out = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            for (String expected : List.of("2025-12-28T21:40:00+09:00", "2025-12-29T14:20:00+09:00", "2025-12-31T23:50:00+09:00")) {
                for (boolean known : List.of(true, false)) {
                    Forecast.ThresholdForecast t = new Forecast.ThresholdForecast(new BigDecimal("700000000000.00"),
                            OffsetDateTime.parse(expected), "2:20 p.m.", known
                                    ? new Forecast.TimeRange(asOf.plusHours(19), asOf.plusHours(44))
                                    : new Forecast.TimeRange(null, null), known ? new BigDecimal("0.97") : null);
                    Forecast f = new Forecast("2025", d, d == Dimension.NATIONAL ? country : "OTHER", asOf,
                            new BigDecimal("698765432100.00"), new BigDecimal("709100000000.00"), null, List.of(t), "sample");
                    out.add(new HeadsUp(f, t));
                }
            }
        }
        return out;
    }

    /** A milestone of every kind, type and dimension, with and without its story. */
    List<Milestone> samples() {
        List<Milestone> out = new ArrayList<>();
        for (MilestoneKind kind : MilestoneKind.values()) {
            for (Milestone.Story story : sampleStories(kind)) {
                for (MilestoneType type : MilestoneType.values()) {
                    for (Dimension d : Dimension.values()) {
                        out.add(sample(kind, type, d).withStory(story));
                    }
                }
            }
        }
        return out;
    }

    private static List<Milestone.Story> sampleStories(MilestoneKind kind) {
        BigDecimal previous = new BigDecimal("600000000000.00");
        return switch (kind) {
            case THRESHOLD -> List.of(Milestone.Story.NONE,
                    Milestone.Story.threshold(true, null, previous, "2018"),
                    Milestone.Story.threshold(true, null, previous, "2025"),
                    Milestone.Story.threshold(true, null, previous, "2024"),
                    Milestone.Story.threshold(true, null, null, null),
                    Milestone.Story.threshold(false, "2018", previous, "2011"));
            case CALENDAR_MONTH_RECORD -> List.of(Milestone.Story.NONE, Milestone.Story.record("2024-12", "2018"),
                    Milestone.Story.record(null, null),
                    new Milestone.Story(null, null, null, null, "2024-12", "2018", 6, null, null, null));
            case YEAR_TO_DATE_RECORD -> List.of(Milestone.Story.NONE, Milestone.Story.record("2024-Q3", "2018"),
                    new Milestone.Story(null, null, null, null, "2024-Q3", "2018", null, RecordMeasure.VALUE, null, null),
                    new Milestone.Story(null, null, null, null, "2024-Q3", "2018", null, RecordMeasure.EXPORTERS,
                            71_204L, 69_850L),
                    new Milestone.Story(null, null, null, null, null, null, null, RecordMeasure.EXPORTERS,
                            71_204L, 69_850L));
            case MONTHLY_RECORD -> List.of(Milestone.Story.NONE, Milestone.Story.record("2022-03", "2018"),
                    Milestone.Story.record(null, null));
            case ANNUAL_RECORD -> List.of(Milestone.Story.NONE, Milestone.Story.record("2024", "1995"),
                    Milestone.Story.record(null, null));
        };
    }

    private Milestone sample(MilestoneKind kind, MilestoneType type, Dimension d) {
        OffsetDateTime at = OffsetDateTime.parse("2025-12-29T13:03:27+09:00");
        String period = switch (kind) {
            case THRESHOLD, ANNUAL_RECORD -> "2025";
            case MONTHLY_RECORD, CALENDAR_MONTH_RECORD -> "2025-12";
            case YEAR_TO_DATE_RECORD -> "2025-Q3";
        };
        return new Milestone("sample", kind, type, period, d,
                d == Dimension.NATIONAL ? country : "OTHER", new BigDecimal("700000000000.00"),
                new BigDecimal("700000001234.56"), at, "1:03 p.m.", "43210-25-0123456X", at.toInstant(), true);
    }

    // ------------------------------------------------------------------ loading

    private static Properties packaged(String name) {
        try (InputStream in = Notices.class.getResourceAsStream(PACKAGED + name)) {
            if (in == null) {
                throw new NotifierConfigException(CONFIG_KEY, "the packaged " + name + " is missing from the jar");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NotifierConfigException(CONFIG_KEY, "cannot read the packaged " + name + ": " + e.getMessage());
        }
    }

    private static Properties file(Path path) {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(r);
        } catch (IOException e) {
            throw new NotifierConfigException(CONFIG_KEY, "cannot read " + path.toAbsolutePath() + ": " + e);
        }
    }

    private static Properties read(Reader r) throws IOException {
        Properties p = new Properties();
        p.load(r);
        return p;
    }

    /** One language's templates and names. */
    private static final class Language {
        final String file;
        final Properties props;
        final Locale locale;
        final boolean english;

        Language(String file, Properties props, Locale locale, boolean english) {
            this.file = file;
            this.props = props;
            this.locale = locale;
            this.english = english;
        }

        String render(String key, Map<String, String> vars) {
            String template = props.getProperty(key);
            if (template == null) {
                throw new NotifierConfigException(CONFIG_KEY, file + " has no template '" + key + "'");
            }
            Matcher m = PLACEHOLDER.matcher(template.strip());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = vars.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
                if (value == null || value.isEmpty()) {
                    // A piece that does not apply takes the space before it along: "on record {since}." -> "on record."
                    int last = out.length() - 1;
                    if (last >= 0 && out.charAt(last) == ' ') {
                        out.setLength(last);
                    }
                }
            }
            m.appendTail(out);
            return out.toString().strip();
        }

        String format(String key, ZonedDateTime t) {
            return DateTimeFormatter.ofPattern(props.getProperty(key), locale).format(t);
        }

        String format(String key, YearMonth month) {
            return DateTimeFormatter.ofPattern(props.getProperty(key), locale).format(month.atDay(1));
        }

        /** A member's name from the table ({@code category.SEMICONDUCTORS=semiconductors}), else a fallback. */
        String name(String table, String code) {
            String v = props.getProperty(table + "." + code);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
            if ((table.equals("country") || table.equals("destination")) && code.matches("[A-Z]{2}")) {
                // The JDK knows every ISO country in English and Korean ("Vietnam", "베트남").
                String jdk = new Locale("", code).getDisplayCountry(locale);
                if (!jdk.isEmpty() && !jdk.equals(code)) {
                    return jdk;
                }
            }
            return english ? code.toLowerCase(Locale.ROOT).replace('_', ' ') : code;
        }
    }
}
