package io.exportcounter.pipeline.totals;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.ExporterSize;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Distinct exporters with a live declaration from January to the end of each quarter, per year, in all and per
 * exporter size: the year-to-date exporter counts of YEAR_TO_DATE_RECORD. Kept in memory, moved as exporters'
 * months go between live and not, and rebuilt from the exporter-years store at init (once per start, a pass
 * over the store), so it needs no store of its own.
 */
final class YearToDateExporters {
    private static final int SIZES = ExporterSize.values().length;

    /** By year: [0] all exporters, [1 + size] per size; each indexed by quarter 1 to 4. */
    private final Map<String, long[][]> byYear = new HashMap<>();

    /** Counts every stored exporter-year again. */
    void rebuild(KeyValueStore<String, byte[]> exporterYears) {
        byYear.clear();
        try (KeyValueIterator<String, byte[]> it = exporterYears.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String year = kv.key.substring(0, kv.key.indexOf('|'));
                ExporterYear a = ExporterYear.decode(kv.value);
                long[][] counts = counts(year);
                for (int q = 1; q <= 4; q++) {
                    if (a.liveInMonthsExcept(3 * q, 0, null)) {
                        counts[0][q]++;
                    }
                    for (ExporterSize size : ExporterSize.values()) {
                        if (a.liveInMonthsExcept(3 * q, 0, size)) {
                            counts[1 + size.ordinal()][q]++;
                        }
                    }
                }
            }
        }
    }

    /**
     * An exporter's live declarations in {@code month} went between none and some: {@code moves} as
     * {@link ExporterYear#add} returned them, for all sizes and for {@code size}. A quarter's count moves when no
     * other month up to its end has the exporter live.
     */
    void monthMoved(String year, int month, ExporterSize size, int[] moves, ExporterYear activity) {
        long[][] counts = counts(year);
        for (int q = (month + 2) / 3; q <= 4; q++) {
            if (moves[0] != 0 && !activity.liveInMonthsExcept(3 * q, month, null)) {
                counts[0][q] += moves[0];
            }
            if (moves[1] != 0 && !activity.liveInMonthsExcept(3 * q, month, size)) {
                counts[1 + size.ordinal()][q] += moves[1];
            }
        }
    }

    /** Distinct exporters of a NATIONAL or EXPORTER_SIZE total from January to the end of {@code quarter}. */
    long count(String year, int quarter, Dimension dimension, String member) {
        long[][] counts = byYear.get(year);
        if (counts == null) {
            return 0;
        }
        if (dimension == Dimension.NATIONAL) {
            return counts[0][quarter];
        }
        if (dimension == Dimension.EXPORTER_SIZE) {
            return counts[1 + ExporterSize.valueOf(member).ordinal()][quarter];
        }
        throw new IllegalArgumentException("distinct exporters are counted only for NATIONAL and EXPORTER_SIZE, not " + dimension);
    }

    private long[][] counts(String year) {
        return byYear.computeIfAbsent(year, y -> new long[1 + SIZES][5]);
    }
}
