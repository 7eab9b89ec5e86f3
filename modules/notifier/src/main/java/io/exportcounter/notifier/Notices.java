package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
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
 * Writes the press notice of a milestone from the templates in {@code config/notices/}
 * ({@code en.properties}, {@code ko.properties}; the format is described at the top of each file).
 *
 * <p>A CROSSED notice is dated by {@code crossedAt}, the acceptance time of the declaration that
 * made the total reach the threshold, as the ministry dates its announcements ("as of 1:03 p.m.").
 * A RETRACTED notice is a correction, dated by {@code detectedAt}: when the corrections were counted.
 *
 * <p>Templates are checked when loaded: a missing key or an unknown {@code {placeholder}} stops the
 * start with a {@link NotifierConfigException} naming {@code notices.templates}, the file and the key.
 */
public final class Notices {
    static final String CONFIG_KEY = "notices.templates";
    private static final String PACKAGED = "/io/exportcounter/notifier/notices/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** Placeholders every template may use. */
    static final Set<String> PLACEHOLDERS = Set.of("time", "date", "shortDate", "zone", "year", "month", "country",
            "member", "what", "short", "threshold", "total", "record", "milestoneId", "declarationId", "type",
            "detectedAt");

    private static final List<String> NOTICE_KEYS = List.of("threshold.crossed", "threshold.retracted",
            "record.crossed", "record.retracted", "email.footer", "format.date", "format.short-date", "format.month");
    private static final List<String> SUBJECT_KEYS = List.of("subject.threshold.crossed",
            "subject.threshold.retracted", "subject.record.crossed", "subject.record.retracted");

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
        String key = (m.kind() == MilestoneKind.MONTHLY_RECORD ? "record." : "threshold.")
                + (m.type() == MilestoneType.CROSSED ? "crossed" : "retracted");
        return new Notice(en.render(key, enVars), ko.render(key, koVars), en.render("subject." + key, enVars),
                en.render("email.footer", enVars), ko.render("email.footer", koVars));
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
        boolean monthly = m.period().length() == 7;
        YearMonth month = monthly ? YearMonth.parse(m.period()) : YearMonth.from(local);
        v.put("year", monthly ? Integer.toString(month.getYear()) : m.period());
        v.put("month", lang.format("format.month", month.atDay(1).atStartOfDay(zone)));
        String countryCode = m.dimension() == Dimension.NATIONAL ? m.member() : country;
        v.put("country", lang.name("country", countryCode));
        v.put("member", memberName(m.dimension(), m.member(), lang));
        v.put("milestoneId", m.milestoneId());
        v.put("declarationId", m.declarationId() == null ? "-" : m.declarationId());
        v.put("type", m.type().name());
        v.put("detectedAt", ContractJson.formatUtcMillis(m.detectedAt()));
        // what/short are small templates of their own, per dimension.
        Map<String, String> inner = new HashMap<>(v);
        v.put("what", lang.render("what." + m.dimension().name(), inner));
        if (lang.english) {
            v.put("short", lang.render("short." + m.dimension().name(), inner));
        }
        putAmounts(m, lang, v);
        return v;
    }

    private static void putAmounts(Milestone m, Language lang, Map<String, String> v) {
        v.put("threshold", lang.english ? Amounts.english(m.thresholdUsd()) : Amounts.korean(m.thresholdUsd()));
        // A total that just fell below a threshold is rounded down, so it never reads as the threshold.
        RoundingMode totalMode = m.type() == MilestoneType.RETRACTED ? RoundingMode.DOWN : RoundingMode.HALF_UP;
        String total = "";
        String record = "";
        for (int level = 0; level <= Amounts.MAX_LEVEL; level++) {
            total = amount(lang, m.totalUsd(), level, totalMode);
            record = amount(lang, m.thresholdUsd(), level, RoundingMode.HALF_UP);
            // "$61.4 billion, above the previous record of $61.4 billion" says nothing: write both finer.
            if (m.kind() != MilestoneKind.MONTHLY_RECORD || !total.equals(record)) {
                break;
            }
        }
        v.put("total", total);
        v.put("record", record);
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

    // ------------------------------------------------------------------ checking

    private void check() {
        for (Language lang : List.of(en, ko)) {
            List<String> required = new ArrayList<>(NOTICE_KEYS);
            for (Dimension d : Dimension.values()) {
                required.add("what." + d.name());
                if (lang.english) {
                    required.add("short." + d.name());
                }
            }
            if (lang.english) {
                required.addAll(SUBJECT_KEYS);
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
        for (Dimension d : Dimension.values()) {
            for (MilestoneType t : MilestoneType.values()) {
                write(sample(MilestoneKind.THRESHOLD, t, d));
            }
        }
        for (MilestoneType t : MilestoneType.values()) {
            write(sample(MilestoneKind.MONTHLY_RECORD, t, Dimension.NATIONAL));
        }
    }

    private Milestone sample(MilestoneKind kind, MilestoneType type, Dimension d) {
        OffsetDateTime at = OffsetDateTime.parse("2025-12-29T13:03:27+09:00");
        return new Milestone("sample", kind, type, kind == MilestoneKind.MONTHLY_RECORD ? "2025-12" : "2025", d,
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
            }
            m.appendTail(out);
            return out.toString();
        }

        String format(String key, ZonedDateTime t) {
            return DateTimeFormatter.ofPattern(props.getProperty(key), locale).format(t);
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
