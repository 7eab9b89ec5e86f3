package io.exportcounter.serving;

import io.exportcounter.contract.Dimension;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of path and query parameters; anything invalid is a 400 with a message naming it. */
final class Requests {
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final Pattern QUARTER = Pattern.compile("\\d{4}-Q[1-4]");
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private Requests() {
    }

    /** A reporting period: a year ({@code 2025}) or a month ({@code 2025-11}). */
    static String period(String raw) {
        if (raw != null && (YEAR.matcher(raw).matches() || MONTH.matcher(raw).matches())) {
            return raw;
        }
        throw ApiException.badRequest("period must be a year such as 2025 or a month such as 2025-11, was '"
                + shorten(raw) + "'");
    }

    /** A milestone's period: a year, a month, or a year to date through a quarter ({@code 2025-Q3}). */
    static String milestonePeriod(String raw) {
        if (raw != null && (YEAR.matcher(raw).matches() || MONTH.matcher(raw).matches() || QUARTER.matcher(raw).matches())) {
            return raw;
        }
        throw ApiException.badRequest("period must be a year such as 2025, a month such as 2025-11 or a quarter such as 2025-Q3, was '"
                + shorten(raw) + "'");
    }

    /** A member of a dimension ({@code KR}, {@code SME}, {@code SEMICONDUCTORS}), case-insensitive. */
    static String member(String raw) {
        if (raw != null && MEMBER.matcher(raw).matches()) {
            return raw.toUpperCase(Locale.ROOT);
        }
        throw ApiException.badRequest("member must be a member name such as KR, SME or SEMICONDUCTORS, was '"
                + shorten(raw) + "'");
    }

    static String year(String raw) {
        if (raw != null && YEAR.matcher(raw).matches()) {
            return raw;
        }
        throw ApiException.badRequest("year must be four digits such as 2025, was '" + shorten(raw) + "'");
    }

    static boolean isYear(String period) {
        return period.length() == 4;
    }

    /** A dimension name, case-insensitive ({@code category} or {@code CATEGORY}). */
    static Dimension dimension(String raw) {
        if (raw != null) {
            for (Dimension d : Dimension.values()) {
                if (d.name().equals(raw.toUpperCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw ApiException.badRequest("dimension must be one of " + Arrays.toString(Dimension.values())
                + ", was '" + shorten(raw) + "'");
    }

    /** {@code throughMonth}: 1 to 12. */
    static int throughMonth(String raw) {
        if (raw != null && raw.matches("\\d{1,2}")) {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= 12) {
                return n;
            }
        }
        throw ApiException.badRequest("throughMonth must be a month number from 1 to 12, was '" + shorten(raw) + "'");
    }

    /** Echoes a bad value back without letting a client make the error message arbitrarily long. */
    static String shorten(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
