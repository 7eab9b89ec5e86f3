package io.exportcounter.notifier;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * USD amounts written the way a press office writes them: {@code $700 billion}, {@code $1 trillion},
 * {@code $61.4 billion}; in Korean, counted in 만 / 억 / 조: {@code 7,000억 달러}, {@code 1조 달러},
 * {@code 614억 달러}. Exact {@link BigDecimal} arithmetic throughout; nothing goes through a double.
 *
 * <p>Thresholds are written exactly; totals are rounded to a {@code level}: 0 is what a headline uses
 * (one decimal of billions, whole 억), each level above is finer (two decimals / 천만, three / 만), for
 * when two figures side by side would otherwise read the same.
 */
final class Amounts {
    /** The finest level of {@link #english(BigDecimal, int, RoundingMode)} in the amount's unit (billions, 억). */
    static final int MAX_LEVEL = 2;
    /** Whole dollars, written out: {@code $683,812,345,678}, {@code 6,838억 1,234만 5,678달러}. */
    static final int DOLLAR_LEVEL = MAX_LEVEL + 1;
    /** Dollars and cents: {@code $683,812,345,678.12}; the finest there is. */
    static final int CENT_LEVEL = MAX_LEVEL + 2;

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);
    private static final BigDecimal TRILLION = BigDecimal.valueOf(1_000_000_000_000L);
    private static final BigDecimal[] UNITS = {TRILLION, BILLION, MILLION};
    private static final String[] UNIT_NAMES = {"trillion", "billion", "million"};

    private static final BigInteger MAN = BigInteger.valueOf(10_000);
    private static final BigInteger EOK = BigInteger.valueOf(100_000_000);
    private static final BigInteger JO = BigInteger.valueOf(1_000_000_000_000L);
    /** Korean rounding steps per level, for amounts of at least 1억 / at least 1만. */
    private static final BigDecimal[] STEPS_FROM_EOK = {new BigDecimal("1E8"), new BigDecimal("1E7"), new BigDecimal("1E4")};
    private static final BigDecimal[] STEPS_FROM_MAN = {new BigDecimal("1E4"), new BigDecimal("1E3"), BigDecimal.ONE};

    private Amounts() {
    }

    /** A threshold in English, exact up to two decimals of its unit: {@code $700 billion}, {@code $1.25 trillion}, {@code $1,000}. */
    static String english(BigDecimal usd) {
        return english(usd, -1, RoundingMode.HALF_UP);
    }

    /**
     * A total in English, rounded: level 0 {@code $61.4 billion}, level 1 {@code $61.39 billion}, level 2
     * {@code $61.392 billion}, {@link #DOLLAR_LEVEL} {@code $61,392,345,679}, {@link #CENT_LEVEL}
     * {@code $61,392,345,678.90}.
     */
    static String english(BigDecimal usd, int level, RoundingMode mode) {
        BigDecimal abs = usd.abs();
        String sign = usd.signum() < 0 ? "-" : "";
        if (level >= DOLLAR_LEVEL) {
            int decimals = level >= CENT_LEVEL ? 2 : 0;
            return "$" + sign + grouped(abs.setScale(decimals, mode), decimals);
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (abs.compareTo(UNITS[i]) >= 0) {
                BigDecimal v = inUnit(abs.divide(UNITS[i]), level, mode);
                // 999.96 billion rounded is 1,000.0 billion: say $1 trillion instead.
                if (i > 0 && v.compareTo(THOUSAND) >= 0) {
                    return "$" + sign + plain(inUnit(abs.divide(UNITS[i - 1]), level, mode)) + " " + UNIT_NAMES[i - 1];
                }
                return "$" + sign + plain(v) + " " + UNIT_NAMES[i];
            }
        }
        if (level < 0) {
            // Exact dollars; cents only when there are any: $1,000, $1,234.50.
            BigDecimal s = abs.stripTrailingZeros();
            return "$" + sign + (s.scale() <= 0 ? grouped(s, 0) : grouped(abs.setScale(2, RoundingMode.HALF_UP), 2));
        }
        return "$" + sign + grouped(abs.setScale(0, mode), 0);
    }

    /** A threshold in Korean, exact: {@code 7,000억 달러}, {@code 1조 달러}, {@code 1,000달러}. */
    static String korean(BigDecimal usd) {
        return korean(usd, -1, RoundingMode.HALF_UP);
    }

    /** A total in Korean, rounded: level 0 {@code 614억 달러}, level 1 {@code 613억 9,000만 달러}. */
    static String korean(BigDecimal usd, int level, RoundingMode mode) {
        BigDecimal abs = usd.abs();
        BigDecimal rounded;
        if (level < 0) {
            rounded = abs;
        } else if (level >= DOLLAR_LEVEL) {
            rounded = abs.setScale(level >= CENT_LEVEL ? 2 : 0, mode);
        } else {
            BigDecimal[] steps = abs.compareTo(new BigDecimal(EOK)) >= 0 ? STEPS_FROM_EOK
                    : abs.compareTo(new BigDecimal(MAN)) >= 0 ? STEPS_FROM_MAN : new BigDecimal[] {BigDecimal.ONE};
            BigDecimal step = steps[Math.min(level, steps.length - 1)];
            rounded = abs.divide(step).setScale(0, mode).multiply(step);
        }
        BigInteger whole = rounded.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        BigDecimal cents = rounded.subtract(new BigDecimal(whole));
        BigInteger[] jo = whole.divideAndRemainder(JO);
        BigInteger[] eok = jo[1].divideAndRemainder(EOK);
        BigInteger[] man = eok[1].divideAndRemainder(MAN);
        List<String> parts = new ArrayList<>();
        addKoreanUnit(parts, jo[0], "조");
        addKoreanUnit(parts, eok[0], "억");
        addKoreanUnit(parts, man[0], "만");
        if (man[1].signum() > 0 || cents.signum() > 0 || parts.isEmpty()) {
            BigDecimal rest = new BigDecimal(man[1]).add(cents);
            parts.add(cents.signum() > 0 ? grouped(rest.setScale(2, RoundingMode.HALF_UP), 2) : grouped(rest, 0));
        }
        String text = (usd.signum() < 0 ? "-" : "") + String.join(" ", parts);
        // "7,000억 달러" after a unit word, "1,000달러" right after digits.
        return text + (Character.isDigit(text.charAt(text.length() - 1)) ? "달러" : " 달러");
    }

    /**
     * Two amounts side by side -- a total and the record it passed, or fell back to -- rounded alike and
     * written finer, level by level down to the cent, until they read differently: never "$683.8 billion,
     * passing 2024's $683.8 billion". Amounts equal to the cent are written at level 0.
     *
     * @return the two texts, in the order given
     */
    static String[] pair(BigDecimal first, RoundingMode firstMode, BigDecimal second, RoundingMode secondMode,
            boolean english) {
        if (first.setScale(2, RoundingMode.HALF_UP).compareTo(second.setScale(2, RoundingMode.HALF_UP)) != 0) {
            for (int level = 0; level <= CENT_LEVEL; level++) {
                String a = english ? english(first, level, firstMode) : korean(first, level, firstMode);
                String b = english ? english(second, level, secondMode) : korean(second, level, secondMode);
                if (!a.equals(b)) {
                    return new String[] {a, b};
                }
            }
        }
        return new String[] {english ? english(first, 0, firstMode) : korean(first, 0, firstMode),
                english ? english(second, 0, secondMode) : korean(second, 0, secondMode)};
    }

    /** A count, grouped: {@code 71,204}. */
    static String englishCount(long n) {
        return grouped(BigDecimal.valueOf(n), 0);
    }

    /** A count in Korean, in 만 / 억: {@code 7만 1,204}, {@code 9,850}, {@code 10만}. */
    static String koreanCount(long n) {
        if (n < 0) {
            return "-" + koreanCount(-n);
        }
        BigInteger[] eok = BigInteger.valueOf(n).divideAndRemainder(EOK);
        BigInteger[] man = eok[1].divideAndRemainder(MAN);
        List<String> parts = new ArrayList<>();
        addKoreanUnit(parts, eok[0], "억");
        addKoreanUnit(parts, man[0], "만");
        if (man[1].signum() > 0 || parts.isEmpty()) {
            parts.add(grouped(new BigDecimal(man[1]), 0));
        }
        return String.join(" ", parts);
    }

    /** Adds {@code 7,000억} for 7,000 of {@code unit} (조, 억 or 만); nothing for none. */
    private static void addKoreanUnit(List<String> parts, BigInteger count, String unit) {
        if (count.signum() > 0) {
            parts.add(grouped(new BigDecimal(count), 0) + unit);
        }
    }

    /** The value in its unit: exact (level < 0, at most two decimals) or rounded to level + 1 decimals. */
    private static BigDecimal inUnit(BigDecimal v, int level, RoundingMode mode) {
        if (level < 0) {
            BigDecimal stripped = v.stripTrailingZeros();
            return stripped.scale() <= 2 ? stripped : v.setScale(2, RoundingMode.HALF_UP);
        }
        return v.setScale(level + 1, mode);
    }

    /** {@code 700}, {@code 61.4}, {@code 1,000.5}: grouped, no trailing zeros after the point. */
    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return grouped(s, Math.max(0, s.scale()));
    }

    private static String grouped(BigDecimal v, int decimals) {
        DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.UNNECESSARY);
        return f.format(v);
    }
}
