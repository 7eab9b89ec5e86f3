package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A running total (CONTRACT.md section 4), keyed {@code {period}|{dimension}|{member}} on the totals topic.
 *
 * @param period       a year ({@code 2025}) or a month ({@code 2025-11})
 * @param totalUsd     exact USD, scale 2
 * @param declarations live (not cancelled) declarations counted in the total
 * @param asOf         latest {@code acceptedAt} counted into it, in the reporting zone; null when nothing was counted
 * @param exporters    distinct exporters with a live declaration; only on NATIONAL and EXPORTER_SIZE totals, else null
 */
public record Total(
        String period,
        Dimension dimension,
        String member,
        BigDecimal totalUsd,
        long declarations,
        OffsetDateTime asOf,
        Long exporters) {

    /** The topic key of this total. */
    public String key() {
        return key(period, dimension, member);
    }

    public static String key(String period, Dimension dimension, String member) {
        return period + "|" + dimension.name() + "|" + member;
    }
}
