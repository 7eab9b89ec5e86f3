package io.exportcounter.pipeline.milestones;

import io.exportcounter.contract.Dimension;
import io.exportcounter.pipeline.PipelineConfig;
import io.exportcounter.pipeline.PipelineConfigException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What counts as a milestone (CONTRACT.md section 5): the configured annual thresholds of each
 * watched total, and the monthly history that a month must beat to set a record.
 *
 * <p>Thresholds are set per total as {@code milestones.thresholds.<DIMENSION>.<MEMBER>=100B,200B}.
 * With none set, the defaults are the reporting country's national total every $100B from $100B to
 * $1T, and semiconductors at $100B, $150B and $200B.
 */
public final class MilestoneRules {
    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,2})?)([MBT]?)");
    private static final Pattern MEMBER = Pattern.compile("[A-Z0-9_]{1,64}");

    private final Map<String, long[]> thresholds;
    private final MonthlyHistory history;
    private final boolean monthlyRecords;

    MilestoneRules(Map<String, long[]> thresholds, MonthlyHistory history, boolean monthlyRecords) {
        this.thresholds = thresholds;
        this.history = history;
        this.monthlyRecords = monthlyRecords;
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
        MonthlyHistory history = config.historyDir() == null ? MonthlyHistory.packaged()
                : MonthlyHistory.load(config.historyDir());
        return new MilestoneRules(thresholds, history, config.monthlyRecords());
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

    public boolean monthlyRecords() {
        return monthlyRecords;
    }

    /** Monthly national totals of the past, in cents, by month. */
    public NavigableMap<YearMonth, Long> history() {
        return history.months();
    }
}
