package io.exportcounter.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The contract's date-time text, by hand: {@link DateTimeFormatter} costs microseconds per call and
 * accepts more than we want (lower-case 't'/'z', expanded years), and this sits on the per-record path.
 * Output equals {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} for years 0000-9999.
 */
final class IsoTime {
    static final String DATE_ONLY = "date only";
    static final String NO_OFFSET = "no offset";
    static final String MALFORMED = "malformed";

    private static final DateTimeFormatter UTC_MILLIS_FALLBACK = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendPattern("HH:mm:ss.SSS").appendLiteral('Z').toFormatter();

    private IsoTime() {
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]]} followed by {@code Z} or {@code ±HH:MM[:SS]}.
     *
     * @throws DateTimeException with message {@link #DATE_ONLY}, {@link #NO_OFFSET}, {@link #MALFORMED}
     *                           or java.time's own message for an impossible date or time
     */
    static OffsetDateTime parse(String s) {
        int n = s.length();
        int year = digits(s, 0, 4);
        expect(s, 4, '-');
        int month = digits(s, 5, 2);
        expect(s, 7, '-');
        int day = digits(s, 8, 2);
        if (n == 10) {
            throw new DateTimeException(DATE_ONLY);
        }
        expect(s, 10, 'T');
        int hour = digits(s, 11, 2);
        expect(s, 13, ':');
        int minute = digits(s, 14, 2);
        int i = 16;
        int second = 0;
        int nano = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int start = i;
                while (i < n && isDigit(s.charAt(i))) {
                    nano = nano * 10 + (s.charAt(i) - '0');
                    i++;
                    if (i - start > 9) {
                        throw new DateTimeException(MALFORMED);
                    }
                }
                int count = i - start;
                if (count == 0) {
                    throw new DateTimeException(MALFORMED);
                }
                for (int k = count; k < 9; k++) {
                    nano *= 10;
                }
            }
        }
        if (i == n) {
            // Validate the local part first so "2025-02-30T10:00" reports the bad date, not the offset.
            LocalDateTime.of(year, month, day, hour, minute, second, nano);
            throw new DateTimeException(NO_OFFSET);
        }
        ZoneOffset offset;
        char c = s.charAt(i);
        if (c == 'Z') {
            offset = ZoneOffset.UTC;
            i++;
        } else if (c == '+' || c == '-') {
            int sign = c == '+' ? 1 : -1;
            int oh = digits(s, i + 1, 2);
            expect(s, i + 3, ':');
            int om = digits(s, i + 4, 2);
            i += 6;
            int os = 0;
            if (i < n && s.charAt(i) == ':') {
                os = digits(s, i + 1, 2);
                i += 3;
            }
            offset = ZoneOffset.ofHoursMinutesSeconds(sign * oh, sign * om, sign * os);
        } else {
            throw new DateTimeException(MALFORMED);
        }
        if (i != n) {
            throw new DateTimeException(MALFORMED);
        }
        return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
    }

    /** ISO_OFFSET_DATE_TIME text: seconds always, fraction only when non-zero and without trailing zeros. */
    static String format(OffsetDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        StringBuilder sb = new StringBuilder(36);
        appendDateTime(sb, year, t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        int nano = t.getNano();
        if (nano != 0) {
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            sb.append('.');
            pad(sb, nano, digits);
        }
        sb.append(t.getOffset().getId());
        return sb.toString();
    }

    /** UTC with exactly three fraction digits ({@code 2025-12-29T04:03:27.412Z}); finer precision is truncated. */
    static String formatUtcMillis(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return UTC_MILLIS_FALLBACK.format(t);
        }
        StringBuilder sb = new StringBuilder(24);
        appendDateTime(sb, year, t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        sb.append('.');
        pad(sb, t.getNano() / 1_000_000, 3);
        sb.append('Z');
        return sb.toString();
    }

    private static void appendDateTime(StringBuilder sb, int year, int month, int day, int hour, int minute,
                                       int second) {
        pad(sb, year, 4);
        sb.append('-');
        pad(sb, month, 2);
        sb.append('-');
        pad(sb, day, 2);
        sb.append('T');
        pad(sb, hour, 2);
        sb.append(':');
        pad(sb, minute, 2);
        sb.append(':');
        pad(sb, second, 2);
    }

    private static void pad(StringBuilder sb, int value, int width) {
        int limit = 1;
        for (int k = 1; k < width; k++) {
            limit *= 10;
        }
        while (limit > 1 && value < limit) {
            sb.append('0');
            limit /= 10;
        }
        sb.append(value);
    }

    private static int digits(String s, int pos, int len) {
        if (pos + len > s.length()) {
            throw new DateTimeException(MALFORMED);
        }
        int v = 0;
        for (int i = pos; i < pos + len; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                throw new DateTimeException(MALFORMED);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void expect(String s, int pos, char c) {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw new DateTimeException(MALFORMED);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
