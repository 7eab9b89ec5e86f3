package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.pipeline.history.History;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What counts as a milestone (CONTRACT.md section 5): the configured annual thresholds of each
 * watched total, which totals get which record kinds, and the history (section 5a) that records and
 * first-time crossings are judged against.
 *
 * <p>Thresholds are set per total as {@code milestones.thresholds.<DIMENSION>.<MEMBER>=100B,200B}.
 * With none set, the defaults are the reporting country's national total every $100B from $100B to
 * $1T, and semiconductors at $100B, $150B and $200B. Record kinds are set per kind as a list of totals,
 * {@code milestones.records.annual=NATIONAL,CATEGORY.SEMICONDUCTORS} ({@code NATIONAL} alone is the
 * reporting country); an empty list turns the kind off.
 */
public final class MilestoneRules {
    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,2})?)([MBT]?)");
    private static final Pattern MEMBER = Pattern.compile("[A-Z0-9_]{1,64}");

    /** Flags of {@link #records}: which record kinds a total gets. */
    public static final int ANNUAL = 1;
    public static final int CALENDAR_MONTH = 2;
    public static final int MONTHLY = 4;
    public static final int YTD_VALUE = 8;
    public static final int YTD_EXPORTERS = 16;

    private final Map<String, long[]> thresholds;
    private final History history;
    /** Record-kind flags by {@code DIMENSION|MEMBER}. */
    private final Map<String, Integer> records;

    MilestoneRules(Map<String, long[]> thresholds, History history, Map<String, Integer> records) {
        this.thresholds = thresholds;
        this.history = history;
        this.records = records;
    }

    public static MilestoneRules from(PipelineConfig config) {
        Map<String, String> settings = config.thresholdSettings();
        if (settings.isEmpty()) {
            settings = Map.of(
                    PipelineConfig.THRESHOLDS_PREFIX + "NATIONAL." + config.country(),
                    "100B,200B,300B,400B,500B,600B,700B,800B,900B,1T",
                    PipelineConfig.THRESHOLDS_PREFIX + "CATEGORY.SEMICONDUCTORS", "100B,150B,200B");
        }
        Map<String, long[]> thresholds = new HashMap<>();
        settings.forEach((key, value) -> {
            String[] dimMember = key.substring(PipelineConfig.THRESHOLDS_PREFIX.length()).split("\\.", 2);
            Dimension dimension;
            try {
                dimension = Dimension.valueOf(dimMember[0]);
            } catch (IllegalArgumentException e) {
                throw new PipelineConfigException(key, "unknown dimension '" + dimMember[0] + "' (one of "
                        + Arrays.toString(Dimension.values()) + ")");
            }
            if (dimMember.length < 2 || !MEMBER.matcher(dimMember[1]).matches()) {
                throw new PipelineConfigException(key, "must end in .<MEMBER>, an upper-case member name such as KR or SEMICONDUCTORS");
            }
            thresholds.put(dimension.name() + "|" + dimMember[1], parseThresholds(key, value));
        });
        History history = config.historyDir() == null ? History.packaged() : History.load(config.historyDir());
        Map<String, Integer> records = new HashMap<>();
        addRecordTotals(records, config, PipelineConfig.RECORDS_ANNUAL, ANNUAL);
        addRecordTotals(records, config, PipelineConfig.RECORDS_CALENDAR_MONTH, CALENDAR_MONTH);
        if (config.monthlyRecords()) {
            addRecordTotals(records, config, PipelineConfig.RECORDS_MONTHLY, MONTHLY);
        }
        addRecordTotals(records, config, PipelineConfig.RECORDS_YTD_VALUE, YTD_VALUE);
        addRecordTotals(records, config, PipelineConfig.RECORDS_YTD_EXPORTERS, YTD_EXPORTERS);
        return new MilestoneRules(thresholds, history, Map.copyOf(records));
    }

    /** Parses a list of totals ({@code NATIONAL}, {@code CATEGORY.SEMICONDUCTORS}, ...) and flags each with {@code flag}. */
    private static void addRecordTotals(Map<String, Integer> into, PipelineConfig config, String key, int flag) {
        for (String total : totals(config, key, config.recordTotals(key))) {
            if (flag == YTD_EXPORTERS && !total.startsWith(Dimension.NATIONAL.name() + "|")
                    && !total.startsWith(Dimension.EXPORTER_SIZE.name() + "|")) {
                throw new PipelineConfigException(key, "distinct exporters are counted only for NATIONAL and EXPORTER_SIZE totals, not "
                        + total.replace('|', '.'));
            }
            into.merge(total, flag, (a, b) -> a | b);
        }
    }

    /**
     * The totals a config value lists ({@code NATIONAL}, {@code CATEGORY.SEMICONDUCTORS}, ...: NATIONAL alone is the
     * reporting country), as {@code DIMENSION|MEMBER} keys in the order given; bad items fail naming {@code key}.
     */
    public static List<String> totals(PipelineConfig config, String key, String listed) {
        String value = listed.strip();
        List<String> totals = new ArrayList<>();
        if (value.isEmpty()) {
            return totals;
        }
        Set<String> seen = new HashSet<>();
        for (String item : value.split(",")) {
            String[] dimMember = item.strip().split("\\.", 2);
            Dimension dimension;
            try {
                dimension = Dimension.valueOf(dimMember[0]);
            } catch (IllegalArgumentException e) {
                throw new PipelineConfigException(key, "unknown dimension '" + dimMember[0] + "' in '" + item.strip()
                        + "' (one of " + Arrays.toString(Dimension.values()) + ")");
            }
            String member;
            if (dimMember.length == 1) {
                if (dimension != Dimension.NATIONAL) {
                    throw new PipelineConfigException(key, "'" + item.strip() + "' needs a member: " + dimension + ".<MEMBER>");
                }
                member = config.country();
            } else if (MEMBER.matcher(dimMember[1]).matches()) {
                member = dimMember[1];
            } else {
                throw new PipelineConfigException(key, "'" + item.strip()
                        + "' must be DIMENSION.MEMBER with an upper-case member name such as CATEGORY.SEMICONDUCTORS");
            }
            String total = dimension.name() + "|" + member;
            if (!seen.add(total)) {
                throw new PipelineConfigException(key, "lists " + item.strip() + " twice");
            }
            totals.add(total);
        }
        return totals;
    }

    /** Ascending, distinct, positive cents; amounts may be written 700000000000, 700B, 1.5T or 500M. */
    static long[] parseThresholds(String key, String value) {
        String[] parts = value.split(",");
        long[] cents = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Matcher m = AMOUNT.matcher(parts[i].trim());
            if (!m.matches()) {
                throw new PipelineConfigException(key, "'" + parts[i].trim()
                        + "' is not an amount in USD such as 700000000000, 700B, 1T or 500M");
            }
            BigDecimal usd = new BigDecimal(m.group(1));
            switch (m.group(2)) {
                case "M" -> usd = usd.movePointRight(6);
                case "B" -> usd = usd.movePointRight(9);
                case "T" -> usd = usd.movePointRight(12);
                default -> { }
            }
            try {
                cents[i] = usd.movePointRight(2).longValueExact();
            } catch (ArithmeticException e) {
                throw new PipelineConfigException(key, "'" + parts[i].trim() + "' is not a whole number of cents or is too large");
            }
            if (cents[i] <= 0) {
                throw new PipelineConfigException(key, "thresholds must be positive, was " + parts[i].trim());
            }
            if (i > 0 && cents[i] <= cents[i - 1]) {
                throw new PipelineConfigException(key, "thresholds must be listed in ascending order without repeats");
            }
        }
        return cents;
    }

    /** Ascending threshold cents of an annual total, or null when the total is not watched. */
    public long[] thresholds(Dimension dimension, String member) {
        return thresholds.get(dimension.name() + "|" + member);
    }

    /** Every watched annual total, keyed {@code DIMENSION|MEMBER}, with its ascending threshold cents. */
    public Map<String, long[]> allThresholds() {
        Map<String, long[]> copy = new TreeMap<>();
        thresholds.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** The record kinds a total gets: {@link #ANNUAL}, {@link #CALENDAR_MONTH}, ... flags; 0 for none. */
    public int records(Dimension dimension, String member) {
        Integer flags = records.get(dimension.name() + "|" + member);
        return flags == null ? 0 : flags;
    }

    /** Every total that gets a record kind, keyed {@code DIMENSION|MEMBER}, with its flags. */
    public Map<String, Integer> allRecords() {
        return new TreeMap<>(records);
    }

    /** The published figures records and first-time crossings are judged against. */
    public History history() {
        return history;
    }
}
