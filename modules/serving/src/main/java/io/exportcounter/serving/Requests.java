package io.exportcounter.serving;

import io.exportcounter.contract.Dimension;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of path and query parameters; anything invalid is a 400 with a message naming it. */
final class Requests {
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

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
