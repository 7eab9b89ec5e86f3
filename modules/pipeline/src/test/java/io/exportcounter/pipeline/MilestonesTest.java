package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.testsupport.Decl;
import io.exportcounter.testsupport.TradeYear;
import io.exportcounter.testsupport.TradeYear.Mix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Milestone rules of CONTRACT.md section 5 on the real topology with TopologyTestDriver. */
class MilestonesTest {

    private static PipelineHarness pipeline(String... keyValues) {
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            c = c.with(keyValues[i], keyValues[i + 1]);
        }
        return new PipelineHarness(c);
    }

    private static PipelineHarness withNationalThresholds(String thresholds) {
        return pipeline("milestones.thresholds.NATIONAL.KR", thresholds);
    }

    @Test
    void the_declaration_that_takes_the_total_to_the_threshold_is_named_with_its_korean_time() {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            p.send(Decl.accept("D-1").at("2025-12-29T12:00:00+09:00").amount("USD", "600.00"))
                    .send(Decl.accept("D-2").at("2025-12-29T04:03:27Z").amount("USD", "400.00"))
                    .send(Decl.accept("D-3").at("2025-12-29T13:10:00+09:00").amount("USD", "5.00"))
                    .flush();

            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.milestoneId()).isEqualTo("2025|NATIONAL|KR|1000");
                assertThat(m.kind()).isEqualTo(MilestoneKind.THRESHOLD);
                assertThat(m.type()).isEqualTo(MilestoneType.CROSSED);
                assertThat(m.period()).isEqualTo("2025");
                assertThat(m.thresholdUsd()).hasToString("1000.00");
                assertThat(m.totalUsd()).hasToString("1000.00");
                assertThat(m.crossedAt()).hasToString("2025-12-29T13:03:27+09:00");
                assertThat(m.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
                assertThat(m.declarationId()).isEqualTo("D-2");
                assertThat(m.provisional()).isTrue();
                assertThat(m.detectedAt()).isNotNull();
                // Stamped with detectedAt, so that time-based retention never sees it as last year's.
                assertThat(p.milestoneTimestamps.get(0)).isEqualTo(m.detectedAt().toEpochMilli());
            });
        }
    }

    @Test
    void a_declaration_read_after_a_later_one_in_its_partition_is_placed_at_that_later_time() {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            // Read in one flush, the later-accepted declaration first
            p.send(Decl.accept("A-LATER").at("2025-12-29T13:05:00+09:00").amount("USD", "999.00"))
                    .send(Decl.accept("B-EARLIER").at("2025-12-29T13:03:00+09:00").amount("USD", "1.00"))
                    .flush();
            // ...except that one read after a later time in its partition is placed at that later time (it came late,
            // and a replay must place it the same way whenever stage 2 receives it): at 1:05 p.m. A goes first
            // (declarationId order), then B reaches 1000.00 and is named with its own acceptance time.
            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.declarationId()).isEqualTo("B-EARLIER");
                assertThat(m.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
                assertThat(m.totalUsd()).hasToString("1000.00");
            });
        }
    }

    /** Two declarations accepted in the same second; either one alone takes the total from 600.00 past 1000.00. */
    private static List<Milestone> sameSecondCrossing(boolean higherIdFirst, boolean inSeparateRounds) {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            p.send(Decl.accept("43210-25-0000100A").at("2025-12-29T13:02:59+09:00").amount("USD", "600.00"));
            Decl low = Decl.accept("43210-25-0000201B").at("2025-12-29T13:03:27+09:00").amount("USD", "400.00");
            Decl high = Decl.accept("43210-25-0000202C").at("2025-12-29T13:03:27+09:00").amount("USD", "450.00");
            p.send(higherIdFirst ? high : low);
            if (inSeparateRounds) {
                // Stage 1 flushes the first one and stage 2 runs rounds before the second arrives
                p.advance(Duration.ofMillis(100), Duration.ofMillis(20));
            }
            p.send(higherIdFirst ? low : high).flush();
            return p.milestones();
        }
    }

    @ParameterizedTest(name = "higher id first: {0}, in separate rounds: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void declarations_accepted_in_the_same_second_cross_in_declaration_id_order_whatever_order_they_arrive_in(
            boolean higherIdFirst, boolean inSeparateRounds) {
        // When two declarations of 1:03:27 p.m. arrive in either order, in one round or in two
        List<Milestone> milestones = sameSecondCrossing(higherIdFirst, inSeparateRounds);

        // Then the lower declarationId is counted first and crosses, with the same total every time
        assertThat(milestones).singleElement().satisfies(m -> {
            assertThat(m.declarationId()).isEqualTo("43210-25-0000201B");
            assertThat(m.totalUsd()).hasToString("1000.00");
            assertThat(m.crossedAt()).hasToString("2025-12-29T13:03:27+09:00");
        });
    }

    @Test
    void redelivering_the_crossing_declaration_emits_nothing_more() {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            Decl d = Decl.accept("D-1").amount("USD", "1500.00");
            p.send(d).flush().send(d).flush().send(d).flush();
            assertThat(p.milestones()).hasSize(1);
        }
    }

    @Test
    void a_correction_below_a_crossed_threshold_retracts_it_and_a_later_crossing_crosses_again() {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            Decl big = Decl.accept("D-1").amount("USD", "1200.00");
            p.send(big).flush();
            p.send(big.amend(1).amount("USD", "900.00")).flush();
            p.send(Decl.accept("D-2").at("2025-07-01T00:00:00+09:00").amount("USD", "150.00")).flush();

            List<Milestone> ms = p.milestones();
            assertThat(ms).extracting(Milestone::type)
                    .containsExactly(MilestoneType.CROSSED, MilestoneType.RETRACTED, MilestoneType.CROSSED);
            assertThat(ms).extracting(Milestone::milestoneId).containsOnly("2025|NATIONAL|KR|1000");
            assertThat(ms.get(1).totalUsd()).hasToString("900.00");
            assertThat(ms.get(1).declarationId()).isEqualTo("D-1");
            assertThat(ms.get(2).declarationId()).isEqualTo("D-2");
            assertThat(ms.get(2).crossedAtLocalTime()).isEqualTo("12:00 a.m.");
        }
    }

    @Test
    void one_declaration_crossing_two_thresholds_gives_two_milestones_in_ascending_order() {
        try (PipelineHarness p = withNationalThresholds("1000,2000,3000")) {
            p.send(Decl.accept("D-1").amount("USD", "2500.00")).flush();
            assertThat(p.milestones()).extracting(Milestone::milestoneId)
                    .containsExactly("2025|NATIONAL|KR|1000", "2025|NATIONAL|KR|2000");
            p.send("D-1", Decl.cancel("D-1", 1)).flush();
            assertThat(p.milestones()).extracting(m -> m.type() + " " + m.milestoneId()).containsExactly(
                    "CROSSED 2025|NATIONAL|KR|1000", "CROSSED 2025|NATIONAL|KR|2000",
                    "RETRACTED 2025|NATIONAL|KR|2000", "RETRACTED 2025|NATIONAL|KR|1000");
        }
    }

    @Test
    void a_category_threshold_is_watched_on_its_own_total() {
        try (PipelineHarness p = pipeline("milestones.thresholds.CATEGORY.SEMICONDUCTORS", "500",
                "milestones.thresholds.NATIONAL.KR", "1M")) {
            p.send(Decl.accept("D-1").hs("8703231010").amount("USD", "900.00"))
                    .send(Decl.accept("D-2").hs("8542321010").amount("USD", "499.99"))
                    .send(Decl.accept("D-3").hs("8541100000").amount("USD", "0.01"))
                    .flush();
            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.milestoneId()).isEqualTo("2025|CATEGORY|SEMICONDUCTORS|500");
                assertThat(m.dimension()).hasToString("CATEGORY");
                assertThat(m.member()).isEqualTo("SEMICONDUCTORS");
                assertThat(m.declarationId()).isEqualTo("D-3");
            });
        }
    }

    @Test
    void a_declaration_just_before_midnight_kst_on_december_31_crosses_for_that_year() {
        try (PipelineHarness p = withNationalThresholds("1000")) {
            p.send(Decl.accept("D-1").at("2025-12-31T23:59:00+09:00").amount("USD", "1000.00")).flush();
            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.period()).isEqualTo("2025");
                assertThat(m.crossedAtLocalTime()).isEqualTo("11:59 p.m.");
                assertThat(m.crossedAt()).hasToString("2025-12-31T23:59+09:00");
            });
        }
    }

    @Test
    void a_month_that_passes_the_highest_month_on_record_is_a_monthly_record_once(@TempDir Path history) throws Exception {
        Files.writeString(history.resolve("kr.csv"), "period,dimension,member,totalUsd,exporters,source\n"
                + "2024-11,NATIONAL,KR,800.00,,test\n2024-12,NATIONAL,KR,1000.00,,test\n");
        try (PipelineHarness p = pipeline("milestones.history", history.toString(),
                "milestones.thresholds.NATIONAL.KR", "1T")) {
            p.send(Decl.accept("J-1").at("2025-01-20T09:00:00+09:00").amount("USD", "999.99")).flush();
            assertThat(p.milestones()).isEmpty();
            p.send(Decl.accept("J-2").at("2025-01-21T15:45:00+09:00").amount("USD", "0.02"))
                    .send(Decl.accept("J-3").at("2025-01-22T09:00:00+09:00").amount("USD", "50.00"))
                    .flush();
            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.milestoneId()).isEqualTo("2025-01|NATIONAL|KR|RECORD");
                assertThat(m.kind()).isEqualTo(MilestoneKind.MONTHLY_RECORD);
                assertThat(m.period()).isEqualTo("2025-01");
                assertThat(m.thresholdUsd()).hasToString("1000.00");
                assertThat(m.totalUsd()).hasToString("1000.01");
                assertThat(m.declarationId()).isEqualTo("J-2");
                assertThat(m.crossedAtLocalTime()).isEqualTo("3:45 p.m.");
                assertThat(m.story().recordPeriod()).isEqualTo("2024-12");
                assertThat(m.story().since()).isEqualTo("2024");
            });
            // February must now beat January's 1050.01, counted by the pipeline itself.
            p.send(Decl.accept("F-1").at("2025-02-03T09:00:00+09:00").amount("USD", "1050.01")).flush();
            assertThat(p.milestones()).hasSize(1);
            p.send(Decl.accept("F-2").at("2025-02-04T09:00:00+09:00").amount("USD", "0.01")).flush();
            assertThat(p.milestones()).extracting(Milestone::milestoneId)
                    .containsExactly("2025-01|NATIONAL|KR|RECORD", "2025-02|NATIONAL|KR|RECORD");
            assertThat(p.milestones().get(1).thresholdUsd()).hasToString("1050.01");
        }
    }

    @Test
    void bad_threshold_config_fails_at_start_naming_the_key() {
        assertThatThrownBy(() -> pipeline("milestones.thresholds.NATIONAL.KR", "700B,600B"))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageContaining("milestones.thresholds.NATIONAL.KR").hasMessageContaining("ascending");
        assertThatThrownBy(() -> pipeline("milestones.thresholds.NATION.KR", "700B"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("milestones.thresholds.NATION.KR");
        assertThatThrownBy(() -> pipeline("milestones.thresholds.NATIONAL.KR", "seven hundred"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("not an amount");
    }

    @Test
    void the_2025_replay_crosses_700_billion_on_december_29_at_1_03_pm() {
        TradeYear year = TradeYear.of2025(400, Mix.ONE_EXPORTER);
        try (PipelineHarness p = pipeline()) {
            replay(p, year);

            assertThat(p.usd("2025|NATIONAL|KR")).isEqualTo("709700000000.00");
            Milestone m700 = threshold(p.milestones(), "2025|NATIONAL|KR|700000000000");
            assertThat(m700.crossedAt().toLocalDate()).hasToString("2025-12-29");
            assertThat(m700.crossedAtLocalTime()).isEqualTo("1:03 p.m.");
            assertThat(m700.crossedAt()).hasToString("2025-12-29T13:03:27+09:00");
            assertThat(m700.totalUsd()).hasToString("700002500000.00");
            assertThat(m700.declarationId()).isEqualTo(year.firstReaching(TradeYear.usd("700B")).decl().id);

            TradeYear.Declared at600 = year.firstReaching(TradeYear.usd("600B"));
            Milestone m600 = threshold(p.milestones(), "2025|NATIONAL|KR|600000000000");
            assertThat(m600.declarationId()).isEqualTo(at600.decl().id);
            assertThat(m600.crossedAt().toInstant()).isEqualTo(java.time.OffsetDateTime.parse(at600.decl().acceptedAt).toInstant());
            assertThat(m600.crossedAt().getMonthValue()).isEqualTo(11);

            assertThat(p.milestones()).filteredOn(m -> m.kind() == MilestoneKind.THRESHOLD
                    && m.dimension().name().equals("NATIONAL")).extracting(Milestone::milestoneId).containsExactly(
                    "2025|NATIONAL|KR|100000000000", "2025|NATIONAL|KR|200000000000", "2025|NATIONAL|KR|300000000000",
                    "2025|NATIONAL|KR|400000000000", "2025|NATIONAL|KR|500000000000", "2025|NATIONAL|KR|600000000000",
                    "2025|NATIONAL|KR|700000000000");
            // December 2025 beats every month on record (the previous best: September 2025).
            assertThat(p.milestones()).extracting(Milestone::milestoneId).contains("2025-12|NATIONAL|KR|RECORD");

            // Against the published history in config/history: the story the ministry told.
            assertThat(m700.story().firstTime()).isTrue();
            assertThat(m700.story().previousThresholdUsd()).hasToString("600000000000.00");
            assertThat(m700.story().previousThresholdFirstReached()).isEqualTo("2018");
            assertThat(m600.story().firstTime()).isFalse();
            assertThat(m600.story().firstReached()).isEqualTo("2018");
            Milestone annual = threshold(p.milestones(), "2025|NATIONAL|KR|ANNUAL_RECORD");
            assertThat(annual.story().recordPeriod()).isEqualTo("2024");
            assertThat(annual.crossedAt().getMonthValue()).isEqualTo(12);
            assertThat(p.milestones()).filteredOn(m -> m.kind() == MilestoneKind.CALENDAR_MONTH_RECORD)
                    .extracting(m -> m.period() + " " + m.story().streak())
                    // April 2025 ($58.21B) passed April 2022 ($57.69B) too; May did not, so the streak starts in June.
                    .containsExactly("2025-04 1", "2025-06 1", "2025-07 2", "2025-08 3", "2025-09 4", "2025-10 5", "2025-11 6", "2025-12 7");
        }
    }

    @Test
    void the_2024_replay_produces_no_700_billion_milestone() {
        TradeYear year = TradeYear.of2024(300, Mix.ONE_EXPORTER);
        try (PipelineHarness p = pipeline()) {
            replay(p, year);
            assertThat(p.usd("2024|NATIONAL|KR")).isEqualTo("683800000000.00");
            assertThat(p.milestones()).extracting(Milestone::milestoneId)
                    .contains("2024|NATIONAL|KR|600000000000")
                    .doesNotContain("2024|NATIONAL|KR|700000000000");
            assertThat(p.milestones()).filteredOn(m -> m.type() == MilestoneType.CROSSED && Boolean.TRUE.equals(m.story().firstTime()))
                    .as("every threshold 2024 reaches was reached before").isEmpty();
        }
    }

    private static void replay(PipelineHarness p, TradeYear year) {
        int i = 0;
        for (TradeYear.Declared d : year.declarations) {
            p.send(d.decl());
            if (++i % 50 == 0) {
                p.flush();
            }
        }
        p.flush();
    }

    private static Milestone threshold(List<Milestone> ms, String id) {
        return ms.stream().filter(m -> m.milestoneId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no milestone " + id + " in " + ms.stream().map(Milestone::milestoneId).toList()));
    }
}
