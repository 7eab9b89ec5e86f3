package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.pipeline.classification.TableFormatException;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.testsupport.Decl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 milestone kinds of CONTRACT.md section 5, on the real topology with TopologyTestDriver, against a history of our own. */
class RecordMilestonesTest {
    private static final String HEADER = "period,dimension,member,totalUsd,exporters,source\n";

    @TempDir
    Path history;

    /** A pipeline judging records against {@code rows} (CSV rows after the header), thresholds out of the way unless given. */
    private PipelineHarness pipeline(String rows, String... keyValues) {
        try {
            Files.writeString(history.resolve("test.csv"), HEADER + rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PipelineConfig c = PipelineConfig.defaults().with("streams.bootstrap.servers", "unused:9092")
                .with("milestones.history", history.toString())
                .with("milestones.thresholds.NATIONAL.KR", "1T");
        for (int i = 0; i < keyValues.length; i += 2) {
            c = c.with(keyValues[i], keyValues[i + 1]);
        }
        return new PipelineHarness(c);
    }

    /** A record milestone in one line: type, id, who crossed and when, the total over the record, and its story. */
    private static String told(Milestone m) {
        return m.type() + " " + m.milestoneId() + " by " + m.declarationId() + " at " + m.crossedAtLocalTime() + ": "
                + m.totalUsd() + " over " + m.thresholdUsd() + " (" + m.story().recordPeriod() + ", since " + m.story().since() + ")";
    }

    private static List<Milestone> ofKind(PipelineHarness p, MilestoneKind kind) {
        return p.milestones().stream().filter(m -> m.kind() == kind).toList();
    }

    /** The events of {@code kind} so far, each as its type and the declaration that caused it: "CROSSED A-2". */
    private static List<String> events(PipelineHarness p, MilestoneKind kind) {
        return ofKind(p, kind).stream().map(m -> m.type() + " " + m.declarationId()).toList();
    }

    // ------------------------------------------------------------------ THRESHOLD in its history

    @Test
    void a_threshold_no_earlier_year_reached_is_a_first_time_seven_years_after_the_one_below_it() {
        try (PipelineHarness p = pipeline("2011,NATIONAL,KR,555.00,,test\n2018,NATIONAL,KR,605.00,,test\n"
                + "2024,NATIONAL,KR,684.00,,test\n", "milestones.thresholds.NATIONAL.KR", "500,600,700")) {
            p.send(Decl.accept("D-1").at("2025-12-29T13:03:00+09:00").amount("USD", "700.00")).flush();

            Milestone m = p.milestones().stream().filter(x -> x.milestoneId().equals("2025|NATIONAL|KR|700")).findFirst().orElseThrow();
            assertThat(m.story().firstTime()).isTrue();
            assertThat(m.story().firstReached()).isNull();
            assertThat(m.story().previousThresholdUsd()).hasToString("600.00");
            assertThat(m.story().previousThresholdFirstReached()).isEqualTo("2018");
            // 2011 and 2018 are on record too, but the unbroken run of years before 2025 starts in 2024.
            assertThat(m.story().since()).isEqualTo("2024");
            Milestone five = p.milestones().stream().filter(x -> x.milestoneId().equals("2025|NATIONAL|KR|500")).findFirst().orElseThrow();
            assertThat(five.story().firstTime()).isFalse();
            assertThat(five.story().firstReached()).isEqualTo("2011");
            assertThat(five.story().previousThresholdUsd()).isNull();
        }
    }

    @Test
    void a_threshold_reached_in_an_earlier_year_is_not_a_first_time_and_says_when_it_first_was() {
        try (PipelineHarness p = pipeline("2022,NATIONAL,KR,690.00,,test\n2023,NATIONAL,KR,650.00,,test\n",
                "milestones.thresholds.NATIONAL.KR", "600,650")) {
            p.send(Decl.accept("D-1").amount("USD", "660.00")).flush();
            Milestone m = p.milestones().stream().filter(x -> x.milestoneId().equals("2025|NATIONAL|KR|650")).findFirst().orElseThrow();
            assertThat(m.story().firstTime()).isFalse();
            assertThat(m.story().firstReached()).isEqualTo("2022");
            assertThat(m.story().previousThresholdFirstReached()).isEqualTo("2022");
        }
    }

    @Test
    void a_year_with_no_history_at_all_claims_no_first_time_and_no_record() {
        try (PipelineHarness p = pipeline("2024,NATIONAL,JP,1.00,,another country only\n",
                "milestones.thresholds.NATIONAL.KR", "600")) {
            p.send(Decl.accept("D-1").at("2025-06-10T10:00:00+09:00").amount("USD", "650.00"))
                    .send(Decl.accept("D-2").at("2025-07-10T10:00:00+09:00").amount("USD", "650.00")).flush();
            assertThat(p.milestones()).singleElement().satisfies(m -> {
                assertThat(m.kind()).isEqualTo(MilestoneKind.THRESHOLD);
                assertThat(m.story().firstTime()).isNull();
                assertThat(m.story().since()).isNull();
            });
        }
    }

    // ------------------------------------------------------------------ ANNUAL_RECORD

    @Test
    void passing_the_best_full_year_is_an_annual_record_retracted_by_a_cancel_and_crossed_again() {
        try (PipelineHarness p = pipeline("2022,NATIONAL,KR,683.60,,test\n2023,NATIONAL,KR,632.20,,test\n"
                + "2024,NATIONAL,KR,683.80,,test\n")) {
            p.send(Decl.accept("A-1").at("2025-11-03T09:00:00+09:00").amount("USD", "683.00"))
                    .send(Decl.accept("A-2").at("2025-12-12T11:36:00+09:00").amount("USD", "1.00"))
                    .send(Decl.accept("A-3").at("2025-12-13T10:00:00+09:00").amount("USD", "5.00")).flush();
            assertThat(ofKind(p, MilestoneKind.ANNUAL_RECORD)).singleElement().extracting(RecordMilestonesTest::told)
                    .isEqualTo("CROSSED 2025|NATIONAL|KR|ANNUAL_RECORD by A-2 at 11:36 a.m.: 684.00 over 683.80 (2024, since 2022)");

            p.send("A-1", Decl.cancel("A-1", 1)).flush();
            p.send(Decl.accept("A-4").at("2025-12-20T14:00:00+09:00").amount("USD", "700.00")).flush();
            assertThat(events(p, MilestoneKind.ANNUAL_RECORD)).containsExactly("CROSSED A-2", "RETRACTED A-1", "CROSSED A-4");
        }
    }

    @Test
    void a_year_the_pipeline_counted_replaces_its_history_figure_for_the_next_years_record() {
        try (PipelineHarness p = pipeline("2024,NATIONAL,KR,1000.00,,test\n")) {
            // 2024 as counted: 100.00, not the 1000.00 of the history.
            p.send(Decl.accept("Y-1").at("2024-05-01T09:00:00+09:00").amount("USD", "100.00"))
                    .send(Decl.accept("Y-2").at("2025-05-01T09:00:00+09:00").amount("USD", "100.01")).flush();
            assertThat(ofKind(p, MilestoneKind.ANNUAL_RECORD)).singleElement().satisfies(m -> {
                assertThat(m.thresholdUsd()).hasToString("100.00");
                assertThat(m.story().recordPeriod()).isEqualTo("2024");
            });
        }
    }

    // ------------------------------------------------------------------ CALENDAR_MONTH_RECORD

    @Test
    void consecutive_calendar_month_records_count_their_streak_and_one_month_short_breaks_it() {
        try (PipelineHarness p = pipeline("2023-06,NATIONAL,KR,100.00,,test\n2024-06,NATIONAL,KR,90.00,,test\n"
                + "2024-07,NATIONAL,KR,100.00,,test\n2024-08,NATIONAL,KR,100.00,,test\n2024-09,NATIONAL,KR,100.00,,test\n"
                + "2024-10,NATIONAL,KR,100.00,,test\n", "milestones.records.monthly", "")) {
            p.send(Decl.accept("JUN").at("2025-06-27T14:10:00+09:00").amount("USD", "100.01"))
                    .send(Decl.accept("JUL").at("2025-07-30T10:00:00+09:00").amount("USD", "101.00"))
                    .send(Decl.accept("AUG").at("2025-08-30T10:00:00+09:00").amount("USD", "99.00"))
                    .send(Decl.accept("SEP").at("2025-09-30T10:00:00+09:00").amount("USD", "150.00"))
                    .send(Decl.accept("OCT").at("2025-10-30T10:00:00+09:00").amount("USD", "150.00")).flush();

            List<Milestone> records = ofKind(p, MilestoneKind.CALENDAR_MONTH_RECORD);
            assertThat(records).extracting(Milestone::milestoneId).containsExactly(
                    "2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD", "2025-07|NATIONAL|KR|CALENDAR_MONTH_RECORD",
                    "2025-09|NATIONAL|KR|CALENDAR_MONTH_RECORD", "2025-10|NATIONAL|KR|CALENDAR_MONTH_RECORD");
            assertThat(records).extracting(m -> m.story().streak()).containsExactly(1, 2, 1, 2);
            assertThat(records.get(0).story().recordPeriod()).isEqualTo("2023-06");
            assertThat(records.get(0).story().since()).isEqualTo("2023");
            assertThat(records.get(0).thresholdUsd()).hasToString("100.00");
            assertThat(records.get(0).crossedAtLocalTime()).isEqualTo("2:10 p.m.");
            assertThat(records.get(1).story().since()).isEqualTo("2024");
        }
    }

    @Test
    void a_gap_in_the_history_ends_the_comparison_and_since_moves_past_it() {
        // June 2019-2021 are missing: "the highest June on record" can only speak of 2022 on, where 2018 was higher.
        try (PipelineHarness p = pipeline("2018-06,NATIONAL,KR,90.00,,test\n2022-06,NATIONAL,KR,57.00,,test\n"
                + "2022-07,NATIONAL,KR,60.00,,test\n2023-07,NATIONAL,KR,59.00,,test\n")) {
            p.send(Decl.accept("JUN").at("2025-06-20T10:00:00+09:00").amount("USD", "58.00"))
                    .send(Decl.accept("JUL").at("2025-07-20T10:00:00+09:00").amount("USD", "61.00")).flush();
            List<Milestone> records = ofKind(p, MilestoneKind.CALENDAR_MONTH_RECORD);
            assertThat(records).extracting(m -> m.period() + " since " + m.story().since() + " over " + m.story().recordPeriod())
                    .containsExactly("2025-06 since 2022 over 2022-06", "2025-07 since 2022 over 2022-07");
        }
    }

    @Test
    void a_calendar_month_record_is_retracted_by_a_cancel_and_crossed_again() {
        try (PipelineHarness p = pipeline("2024-03,NATIONAL,KR,100.00,,test\n", "milestones.records.monthly", "")) {
            p.send(Decl.accept("M-1").at("2025-03-10T10:00:00+09:00").amount("USD", "120.00")).flush();
            p.send("M-1", Decl.cancel("M-1", 1)).flush();
            p.send(Decl.accept("M-2").at("2025-03-20T10:00:00+09:00").amount("USD", "100.01")).flush();
            assertThat(events(p, MilestoneKind.CALENDAR_MONTH_RECORD)).containsExactly("CROSSED M-1", "RETRACTED M-1", "CROSSED M-2");
        }
    }

    // ------------------------------------------------------------------ MONTHLY_RECORD (v1 meaning)

    @Test
    void a_monthly_record_says_which_month_held_it_and_since_when() {
        // The months on record run unbroken from 2022-02 to the last one; 2019-03 stands before a gap.
        try (PipelineHarness p = pipeline("2019-03,NATIONAL,KR,64.00,,test\n2022-02,NATIONAL,KR,60.00,,test\n"
                + "2022-03,NATIONAL,KR,63.80,,test\n", "milestones.records.calendar-month", "")) {
            p.send(Decl.accept("S-1").at("2025-09-25T10:00:00+09:00").amount("USD", "65.95")).flush();
            assertThat(ofKind(p, MilestoneKind.MONTHLY_RECORD)).singleElement().satisfies(m -> {
                assertThat(m.milestoneId()).isEqualTo("2025-09|NATIONAL|KR|RECORD");
                assertThat(m.story().recordPeriod()).isEqualTo("2022-03");
                assertThat(m.story().since()).isEqualTo("2022");
            });
        }
    }

    // ------------------------------------------------------------------ YEAR_TO_DATE_RECORD

    @Test
    void at_a_quarters_close_sme_value_and_exporters_to_date_beat_every_earlier_year() {
        String rows = "2024-Q1,EXPORTER_SIZE,SME,100.00,2,test\n2023-Q1,EXPORTER_SIZE,SME,90.00,1,test\n";
        try (PipelineHarness p = pipeline(rows, "milestones.records.calendar-month", "", "milestones.records.monthly", "",
                "milestones.records.annual", "")) {
            p.send(Decl.accept("Q-1").at("2025-01-10T10:00:00+09:00").exporter("1000000001", "SME").amount("USD", "50.00"))
                    .send(Decl.accept("Q-2").at("2025-02-10T10:00:00+09:00").exporter("1000000002", "SME").amount("USD", "40.00"))
                    .send(Decl.accept("Q-3").at("2025-03-31T23:59:59+09:00").exporter("1000000003", "SME").amount("USD", "10.01"))
                    .send(Decl.accept("Q-4").at("2025-03-12T10:00:00+09:00").exporter("1000000001", "LARGE").amount("USD", "500.00"))
                    .flush();
            assertThat(ofKind(p, MilestoneKind.YEAR_TO_DATE_RECORD)).as("not before a declaration of April is counted").isEmpty();

            p.send(Decl.accept("A-1").at("2025-04-01T00:00:01+09:00").exporter("1000000009", "LARGE").amount("USD", "1.00")).flush();
            List<Milestone> ytd = ofKind(p, MilestoneKind.YEAR_TO_DATE_RECORD);
            assertThat(ytd).extracting(Milestone::milestoneId).containsExactlyInAnyOrder(
                    "2025-Q1|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE",
                    "2025-Q1|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS");
            Milestone value = ytd.stream().filter(m -> m.story().measure() == RecordMeasure.VALUE).findFirst().orElseThrow();
            assertThat(value.period()).isEqualTo("2025-Q1");
            assertThat(value.totalUsd()).hasToString("100.01");
            assertThat(value.thresholdUsd()).hasToString("100.00");
            assertThat(value.story().recordPeriod()).isEqualTo("2024-Q1");
            assertThat(value.story().since()).isEqualTo("2023");
            assertThat(value.crossedAt()).hasToString("2025-04-01T00:00+09:00");
            assertThat(value.crossedAtLocalTime()).isEqualTo("12:00 a.m.");
            assertThat(value.declarationId()).isNull();
            Milestone exporters = ytd.stream().filter(m -> m.story().measure() == RecordMeasure.EXPORTERS).findFirst().orElseThrow();
            assertThat(exporters.story().exporters()).isEqualTo(3L);
            assertThat(exporters.story().previousBestExporters()).isEqualTo(2L);

            // A correction after the close undoes the value record once, and nothing repeats.
            p.send("Q-3", Decl.cancel("Q-3", 1)).flush();
            p.send(Decl.accept("A-2").at("2025-04-02T10:00:00+09:00").exporter("1000000009", "LARGE").amount("USD", "1.00")).flush();
            assertThat(ofKind(p, MilestoneKind.YEAR_TO_DATE_RECORD)).extracting(m -> m.type() + " " + m.story().measure())
                    .containsExactly("CROSSED VALUE", "CROSSED EXPORTERS", "RETRACTED VALUE", "RETRACTED EXPORTERS");
        }
    }

    // ------------------------------------------------------------------ config and history files

    @Test
    void a_bad_history_file_stops_the_start_naming_file_line_and_field() {
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,683.8x,,test\n"))
                .isInstanceOf(TableFormatException.class)
                .hasMessageContaining("test.csv, line 2").hasMessageContaining("totalUsd");
        assertThatThrownBy(() -> pipeline("2024-13,NATIONAL,KR,1.00,,test\n"))
                .hasMessageContaining("line 2").hasMessageContaining("period");
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,1.00,,\n"))
                .hasMessageContaining("line 2").hasMessageContaining("source");
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,1.00,,a\n2024,NATIONAL,KR,2.00,,b\n"))
                .hasMessageContaining("line 3").hasMessageContaining("listed twice");
        assertThatThrownBy(() -> pipeline("2024,DESTINATION,US,1.00,5,test\n"))
                .hasMessageContaining("exporters");
    }

    @Test
    void bad_record_config_fails_at_start_naming_the_key() {
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,1.00,,test\n", "milestones.records.annual", "NATION"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("milestones.records.annual");
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,1.00,,test\n", "milestones.records.calendar-month", "CATEGORY"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("milestones.records.calendar-month")
                .hasMessageContaining("needs a member");
        assertThatThrownBy(() -> pipeline("2024,NATIONAL,KR,1.00,,test\n", "milestones.records.year-to-date.exporters", "DESTINATION.US"))
                .isInstanceOf(PipelineConfigException.class).hasMessageContaining("milestones.records.year-to-date.exporters");
    }
}
