package io.exportcounter.simulator;

import java.io.BufferedReader;
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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a simulated year must add up to: the final USD total of each month (after amendments and
 * cancellations, to the cent), where published the total of its first 20 days, and, for 2025, the moment
 * the running total first reaches $700B.
 *
 * <p>Months come from a {@code month,totalUsd} CSV, optionally with a third column
 * {@code firstTwentyDaysUsd} (the customs service's figure of days 1-20, may be empty): the copies of
 * {@code config/calibration} packaged with the simulator, or any file. For the packaged years the published annual figures of DOMAIN.md are
 * applied on top: 2024's months are scaled to $683.8B (the first 20 days keep their share of the month);
 * 2025 follows its real shape (Jan-Nov $640.2B,
 * Dec 1-20 $43.0B, $16.8B more until the declaration accepted 2025-12-29 13:03:27 KST crosses $700B,
 * $709.7B at year end). A file given explicitly is used as it stands.
 */
public final class Calibration {
    /** Korea time; Asia/Seoul has had no daylight saving since 1988. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Seoul");
    private static final String RESOURCE_DIR = "calibration/";

    /** A threshold the running national total is planned to reach at a given instant. */
    public record PlannedCrossing(long thresholdCents, Instant at) {
    }

    /**
     * The shape of December around a planned crossing: {@code firstPartCents} accepted before
     * {@code firstPartEnd}, then the rest of the threshold up to the crossing declaration (2025: $16.8B).
     */
    record DecemberShape(PlannedCrossing crossing, Instant firstPartEnd, long firstPartCents) {
    }

    private final int year;
    private final long[] monthCents;
    /** Days 1-20 of each month in cents, -1 where no figure is given. */
    private final long[] firstPartCents;
    private final DecemberShape december;
    private final String source;

    private Calibration(int year, Months months, DecemberShape december, String source) {
        this.year = year;
        this.monthCents = months.totals;
        this.firstPartCents = months.firstParts;
        this.december = december;
        this.source = source;
    }

    /** A year's months as read: totals and first 20 days, in cents (-1: no first-20-days figure). */
    record Months(long[] totals, long[] firstParts) {
    }

    public static Calibration of(SimulatorOptions options) {
        return load(options.year(), options.calibrationFile());
    }

    /**
     * @param file a {@code month,totalUsd} CSV, or null for the history packaged for {@code year}
     * @throws IllegalArgumentException when the file is unreadable, malformed or lacks a month of the year
     */
    public static Calibration load(int year, Path file) {
        Months months;
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                months = parse(r, year, file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("calibration file " + file + " cannot be read: " + e.getMessage(), e);
            }
            return new Calibration(year, months, null, file.toString());
        }
        String name = RESOURCE_DIR + year + ".csv";
        try (InputStream in = Calibration.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no monthly totals are packaged for " + year
                        + " (only 2024 and 2025); pass a month,totalUsd CSV file for it");
            }
            months = parse(new InputStreamReader(in, StandardCharsets.UTF_8), year, "packaged " + year + ".csv");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read packaged " + name, e);
        }
        return known(year, months);
    }

    /** DOMAIN.md's annual figures over the packaged preliminary months. */
    private static Calibration known(int year, Months published) {
        if (year == 2024) {
            long[] months = scale(published.totals, 0, 12, usd("683.8"));
            return new Calibration(year, new Months(months, keepShares(published, months)), null,
                    "packaged 2024.csv scaled to $683.8B");
        }
        if (year == 2025) {
            long[] months = new long[12];
            long[] janToNov = scale(published.totals, 0, 11, usd("640.2"));
            System.arraycopy(janToNov, 0, months, 0, 11);
            long annual = usd("709.7");
            months[11] = annual - usd("640.2");
            long[] firstParts = keepShares(published, months);
            // December is cut by its own shape: its first 20 days as published ($43.0B), then the planned crossing.
            long decemberFirstPart = published.firstParts[11];
            if (decemberFirstPart < 0) {
                throw new IllegalStateException("packaged 2025.csv lacks December's firstTwentyDaysUsd");
            }
            firstParts[11] = -1;
            Instant at = LocalDateTime.of(2025, 12, 29, 13, 3, 27).atZone(ZONE).toInstant();
            DecemberShape shape = new DecemberShape(new PlannedCrossing(usd("700.0"), at),
                    LocalDate.of(2025, 12, 21).atStartOfDay(ZONE).toInstant(), decemberFirstPart);
            return new Calibration(year, new Months(months, firstParts), shape, "packaged 2025.csv in DOMAIN.md's shape");
        }
        return new Calibration(year, published, null, "packaged " + year + ".csv");
    }

    /** Each month's first 20 days at the share of the month they have in {@code published}, of the month in {@code totals}. */
    private static long[] keepShares(Months published, long[] totals) {
        long[] out = new long[12];
        for (int m = 0; m < 12; m++) {
            out[m] = published.firstParts[m] < 0 ? -1
                    : BigDecimal.valueOf(published.firstParts[m]).multiply(BigDecimal.valueOf(totals[m]))
                            .divide(BigDecimal.valueOf(published.totals[m]), 0, RoundingMode.HALF_EVEN).longValueExact();
        }
        return out;
    }

    private static long usd(String billions) {
        return new BigDecimal(billions).movePointRight(9 + 2).longValueExact();
    }

    /** {@code values[from..to)} scaled to sum exactly to {@code total} cents (largest remainders get the odd cents). */
    static long[] scale(long[] values, int from, int to, long total) {
        int n = to - from;
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = from; i < to; i++) {
            sum = sum.add(BigDecimal.valueOf(values[i]));
        }
        long[] out = new long[n];
        BigDecimal[] remainders = new BigDecimal[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal exact = BigDecimal.valueOf(values[from + i]).multiply(BigDecimal.valueOf(total))
                    .divide(sum, 6, RoundingMode.HALF_EVEN);
            out[i] = exact.setScale(0, RoundingMode.FLOOR).longValueExact();
            remainders[i] = exact.subtract(BigDecimal.valueOf(out[i]));
            assigned += out[i];
        }
        for (long left = total - assigned; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (remainders[i].compareTo(remainders[best]) > 0) {
                    best = i;
                }
            }
            out[best]++;
            remainders[best] = remainders[best].subtract(BigDecimal.ONE);
        }
        return out;
    }

    static Months parse(Reader reader, int year, String source) throws IOException {
        long[] months = new long[12];
        long[] firstParts = new long[12];
        Arrays.fill(months, -1);
        Arrays.fill(firstParts, -1);
        int columns = 2;
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String line;
        int lineNo = 0;
        boolean header = false;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (!header) {
                if (s.equals("month,totalUsd,firstTwentyDaysUsd")) {
                    columns = 3;
                } else if (!s.equals("month,totalUsd")) {
                    throw bad(source, lineNo, "the header must be 'month,totalUsd' or 'month,totalUsd,firstTwentyDaysUsd'");
                }
                header = true;
                continue;
            }
            String[] f = s.split(",", -1);
            if (f.length != columns) {
                throw bad(source, lineNo, columns == 2 ? "expected 'yyyy-MM,totalUsd'"
                        : "expected 'yyyy-MM,totalUsd,firstTwentyDaysUsd' (the last may be empty)");
            }
            YearMonth ym;
            try {
                ym = YearMonth.parse(f[0].strip());
            } catch (RuntimeException e) {
                throw bad(source, lineNo, "month must be yyyy-MM, was '" + f[0] + "'");
            }
            long cents = cents(f[1], source, lineNo, "totalUsd");
            long firstPart = columns == 3 && !f[2].isBlank() ? cents(f[2], source, lineNo, "firstTwentyDaysUsd") : -1;
            if (firstPart >= cents) {
                throw bad(source, lineNo, "firstTwentyDaysUsd must be less than the month's totalUsd");
            }
            if (ym.getYear() != year) {
                continue;
            }
            if (months[ym.getMonthValue() - 1] >= 0) {
                throw bad(source, lineNo, ym + " appears twice");
            }
            months[ym.getMonthValue() - 1] = cents;
            firstParts[ym.getMonthValue() - 1] = firstPart;
        }
        for (int m = 0; m < 12; m++) {
            if (months[m] < 0) {
                throw new IllegalArgumentException("calibration " + source + " has no total for "
                        + YearMonth.of(year, m + 1) + " (all 12 months of " + year + " are needed)");
            }
        }
        return new Months(months, firstParts);
    }

    private static long cents(String text, String source, int line, String column) {
        try {
            BigDecimal v = new BigDecimal(text.strip());
            if (v.signum() <= 0 || v.scale() > 2) {
                throw new NumberFormatException();
            }
            return v.movePointRight(2).longValueExact();
        } catch (RuntimeException e) {
            throw bad(source, line, column + " must be a positive amount with at most 2 decimals, was '" + text + "'");
        }
    }

    private static IllegalArgumentException bad(String source, int line, String reason) {
        return new IllegalArgumentException("calibration " + source + " line " + line + ": " + reason);
    }

    public int year() {
        return year;
    }

    /** The final USD total of each month, January first, in cents. */
    public long[] monthTargetsCents() {
        return monthCents.clone();
    }

    /** The total of month {@code m}'s (1-12) first 20 days in cents, or -1 when no figure cuts the month. */
    public long firstTwentyDaysCents(int m) {
        return firstPartCents[m - 1];
    }

    public long annualCents() {
        return Arrays.stream(monthCents).sum();
    }

    public Optional<PlannedCrossing> plannedCrossing() {
        return december == null ? Optional.empty() : Optional.of(december.crossing());
    }

    Optional<DecemberShape> decemberShape() {
        return Optional.ofNullable(december);
    }

    /** Where the numbers come from, for the summary line. */
    public String source() {
        return source;
    }
}
