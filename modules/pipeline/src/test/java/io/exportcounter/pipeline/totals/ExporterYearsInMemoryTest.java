package io.exportcounter.pipeline.totals;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.ExporterSize;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.milestones.MilestoneDetector;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.routing.Routed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Stage 2 keeps only so many exporter-years in memory and reads the others back from its store. Whether
 * one was dropped and read back must never show in the distinct-exporter counts.
 */
class ExporterYearsInMemoryTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final String[] CATEGORIES = {"SEMICONDUCTORS", "AUTOMOBILES", "SHIPS", "OTHER"};
    private static final String[] DESTINATIONS = {"US", "CN", "VN", "JP"};

    @Test
    void a_stage_2_that_keeps_8_exporter_years_in_memory_counts_the_same_exporters_as_one_that_keeps_them_all() {
        // Given 120 rounds of accepts, amendments (some to another exporter or month) and cancels by 60 exporters
        List<List<ChangeEntry>> rounds = randomRounds(new Random(7), 120, 25, 60);

        // When two stage-2 processors apply them, one keeping every exporter-year and one only 8
        Stage2Harness all = new Stage2Harness(1_000_000);
        Stage2Harness few = new Stage2Harness(8);
        int mostInMemory = 0;
        for (List<ChangeEntry> round : rounds) {
            all.apply(round);
            few.apply(round);
            mostInMemory = Math.max(mostInMemory, few.processor.exporterYearsInMemory());
        }

        // Then the small one did drop exporter-years, never kept more than the cap between rounds,
        // and wrote the very same totals, exporter counts included
        assertThat(all.processor.exporterYearsInMemory()).isGreaterThan(50);
        assertThat(mostInMemory).isLessThanOrEqualTo(8);
        assertThat(few.latest).isEqualTo(all.latest);
        // And the counts are the distinct exporters with a live declaration, as a plain recount finds them
        assertThat(exporters(few.latest, "2025|NATIONAL|KR")).isEqualTo(liveExporters(rounds, null));
        assertThat(exporters(few.latest, "2025-12|NATIONAL|KR")).isEqualTo(liveExporters(rounds, 12));
        assertThat(exporters(few.latest, "2025|NATIONAL|KR")).isGreaterThan(40);
    }

    @Test
    void restarts_that_load_the_stored_exporter_years_whole_or_in_part_count_the_same_exporters() {
        // Given the same rounds, applied without a stop, and with a restart every 30 rounds: one stage 2 whose
        // cap holds every stored exporter-year (it loads them all at each start and then reads none from the
        // store), and one whose cap of 8 does not (it loads 8 and reads the rest from the store)
        List<List<ChangeEntry>> rounds = randomRounds(new Random(11), 120, 25, 60);
        Stage2Harness straight = new Stage2Harness(1_000_000);
        Stage2Harness whole = new Stage2Harness(1_000_000);
        Stage2Harness part = new Stage2Harness(8);
        Map<String, Total> wholeTotals = new TreeMap<>();
        Map<String, Total> partTotals = new TreeMap<>();

        // When they apply them
        for (int r = 0; r < rounds.size(); r++) {
            if (r > 0 && r % 30 == 0) {
                wholeTotals.putAll(whole.latest);
                partTotals.putAll(part.latest);
                whole = new Stage2Harness(1_000_000, 0, whole);
                part = new Stage2Harness(8, 0, part);
                assertThat(whole.processor.exporterYearsInMemory()).isGreaterThan(8);
                assertThat(part.processor.exporterYearsInMemory()).isEqualTo(8);
            }
            straight.apply(rounds.get(r));
            whole.apply(rounds.get(r));
            part.apply(rounds.get(r));
        }
        wholeTotals.putAll(whole.latest);
        partTotals.putAll(part.latest);

        // Then every total ends the same, exporter counts included, and they match a plain recount
        assertThat(wholeTotals).isEqualTo(straight.latest);
        assertThat(partTotals).isEqualTo(straight.latest);
        assertThat(exporters(wholeTotals, "2025|NATIONAL|KR")).isEqualTo(liveExporters(rounds, null));
        assertThat(exporters(partTotals, "2025-06|NATIONAL|KR")).isEqualTo(liveExporters(rounds, 6));
    }

    /** Random rounds; every amendment and cancel refers to a declaration that is live at that point. */
    private static List<List<ChangeEntry>> randomRounds(Random random, int rounds, int perRound, int exporters) {
        Map<String, Contribution> live = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<List<ChangeEntry>> result = new ArrayList<>();
        int next = 0;
        for (int r = 0; r < rounds; r++) {
            List<ChangeEntry> round = new ArrayList<>();
            Set<String> touched = new HashSet<>();
            for (int i = 0; i < perRound; i++) {
                int kind = random.nextInt(100);
                if (kind < 70 || ids.isEmpty()) {
                    String id = "D" + next++;
                    Contribution c = contribution(random, exporters);
                    live.put(id, c);
                    ids.add(id);
                    round.add(ChangeEntry.add(id, c));
                    touched.add(id);
                    continue;
                }
                String id = ids.get(random.nextInt(ids.size()));
                if (!touched.add(id)) {
                    continue;
                }
                Contribution old = live.get(id);
                if (kind < 85) {
                    Contribution now = contribution(random, exporters);
                    live.put(id, now);
                    round.add(new ChangeEntry(id, old, now));
                } else {
                    live.remove(id);
                    ids.remove(id);
                    round.add(ChangeEntry.remove(id, old));
                }
            }
            result.add(round);
        }
        return result;
    }

    private static Contribution contribution(Random random, int exporters) {
        int exporter = random.nextInt(exporters);
        ExporterSize size = ExporterSize.values()[exporter % 3];
        // Any time of 2025 in Seoul, at a whole second.
        Instant at = Instant.parse("2024-12-31T15:00:00Z").plusSeconds(random.nextInt(365 * 86_400));
        return new Contribution(1 + random.nextInt(1_000_000_00), at, "EXP-" + exporter, size,
                CATEGORIES[random.nextInt(CATEGORIES.length)], DESTINATIONS[random.nextInt(DESTINATIONS.length)], "ASIA");
    }

    /** Exporters with a live declaration after every round, in 2025 or in one month of it. */
    private static long liveExporters(List<List<ChangeEntry>> rounds, Integer month) {
        Map<String, Contribution> live = new HashMap<>();
        for (List<ChangeEntry> round : rounds) {
            for (ChangeEntry e : round) {
                if (e.added() != null) {
                    live.put(e.declarationId(), e.added());
                } else {
                    live.remove(e.declarationId());
                }
            }
        }
        return live.values().stream()
                .filter(c -> month == null || c.acceptedAt().atZone(SEOUL).getMonthValue() == month)
                .map(Contribution::exporterId).distinct().count();
    }

    private static long exporters(Map<String, Total> totals, String key) {
        assertThat(totals).containsKey(key);
        assertThat(totals.get(key).dimension()).isIn(Dimension.NATIONAL);
        return totals.get(key).exporters();
    }
}
