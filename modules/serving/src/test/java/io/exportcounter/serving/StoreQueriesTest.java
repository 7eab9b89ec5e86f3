package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.exportcounter.pipeline.totals.TotalState;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's answers from stage-2 stores held in memory, with a history of our own. */
class StoreQueriesTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ContractJson JSON = ContractJson.instance();

    private final MapStore<TotalState> totals = new MapStore<>();
    private final MapStore<byte[]> milestones = new MapStore<>();
    private final MapStore<byte[]> forecasts = new MapStore<>();
    private StoreQueries queries;

    @BeforeEach
    void history(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("national.csv"), """
                # Published figures, each with where it was published
                period,dimension,member,totalUsd,exporters,source
                1995,NATIONAL,KR,125057700000.00,,MOTIE annual trade statistics 1995
                2018,NATIONAL,KR,604860000000.00,,MOTIE press release 2019-01-01
                2024,NATIONAL,KR,683800000000.00,,Yonhap 2025-01-01, citing MOTIE
                2025,NATIONAL,KR,709700000000.00,,MOTIE press release 2026-01-01
                2024-06,NATIONAL,KR,57070000000.00,,MOTIE press release 2024-07-01
                2025-06,NATIONAL,KR,59800000000.00,,MOTIE press release 2025-07-01
                2024-Q3,NATIONAL,KR,512000000000.00,,KITA year-to-date 2024-10
                """);
        Files.writeString(dir.resolve("sme.csv"), """
                period,dimension,member,totalUsd,exporters,source
                2024-Q3,EXPORTER_SIZE,SME,85000000000.00,95000,SMEs ministry 2024-10-15
                2024,EXPORTER_SIZE,SME,,97500,SMEs ministry 2025-01-20
                """);
        MilestoneRules rules = MilestoneRules.from(PipelineConfig.defaults().with("milestones.history", dir.toString()));
        queries = new StoreQueries("KR", SEOUL, rules);
    }

    @Test
    void history_lists_published_figures_with_sources_and_counted_periods_replace_them() {
        // 2025 counted through November: the year, January to November, and so the years to date
        // through the first three quarters (the fourth is not closed).
        totals.put("2025|NATIONAL|KR", state(64_000_000_000_000L, 1_000, "2025-11-28T15:00:00+09:00", 90_000));
        for (int m = 1; m <= 11; m++) {
            totals.put(String.format("2025-%02d|NATIONAL|KR", m), state(1_000_000_000_000L + m, 100, String.format("2025-%02d-20T10:00:00+09:00", m), 40_000));
        }
        // Every declaration of December cancelled: not a counted period.
        totals.put("2025-12|NATIONAL|KR", state(0, 0, "2025-12-01T09:00:00+09:00", 0));
        totals.put("2025|CATEGORY|SEMICONDUCTORS", state(17_345_678_901_234L, 300, "2025-11-28T15:00:00+09:00", 0));

        JsonNode h = queries.history(snapshot(), Dimension.NATIONAL, "KR");

        assertThat(h.path("dimension").asText()).isEqualTo("NATIONAL");
        assertThat(h.path("member").asText()).isEqualTo("KR");
        assertThat(h.path("since").asText()).isEqualTo("1995");
        assertThat(periods(h.path("years"))).containsExactly("1995", "2018", "2024", "2025");
        JsonNode y2024 = h.path("years").get(2);
        assertThat(y2024.path("totalUsd").isTextual()).isTrue();
        assertThat(y2024.path("totalUsd").asText()).isEqualTo("683800000000.00");
        assertThat(y2024.path("source").asText()).isEqualTo("Yonhap 2025-01-01, citing MOTIE");
        assertThat(y2024.path("counted").asBoolean()).isFalse();
        assertThat(y2024.path("exporters").isNull()).isTrue();
        // The pipeline counted 2025: its own total replaces the published one.
        JsonNode y2025 = h.path("years").get(3);
        assertThat(y2025.path("totalUsd").asText()).isEqualTo("640000000000.00");
        assertThat(y2025.path("source").asText()).isEqualTo("counted by the pipeline");
        assertThat(y2025.path("counted").asBoolean()).isTrue();
        assertThat(y2025.path("declarations").asLong()).isEqualTo(1_000);
        assertThat(y2025.path("exporters").asLong()).isEqualTo(90_000);
        assertThat(y2025.path("asOf").asText()).isEqualTo("2025-11-28T15:00:00+09:00");

        List<String> months = periods(h.path("months"));
        assertThat(months).startsWith("2024-06", "2025-01").hasSize(12).doesNotContain("2025-12");
        JsonNode june = h.path("months").get(months.indexOf("2025-06"));
        assertThat(june.path("totalUsd").asText()).isEqualTo("10000000000.06");
        assertThat(june.path("counted").asBoolean()).isTrue();
        assertThat(h.path("months").get(0).path("source").asText()).isEqualTo("MOTIE press release 2024-07-01");

        assertThat(periods(h.path("yearsToDate"))).containsExactly("2024-Q3", "2025-Q1", "2025-Q2", "2025-Q3");
        assertThat(h.path("yearsToDate").get(0).path("source").asText()).isEqualTo("KITA year-to-date 2024-10");
        JsonNode q3 = h.path("yearsToDate").get(3);
        assertThat(q3.path("counted").asBoolean()).isTrue();
        assertThat(q3.path("totalUsd").asText()).isEqualTo(Money.format(9 * 1_000_000_000_000L + 45));
        assertThat(q3.path("declarations").asLong()).isEqualTo(900);
        // Every figure names its source.
        for (String list : List.of("years", "months", "yearsToDate")) {
            h.path(list).forEach(f -> assertThat(f.path("source").asText()).as(list + " " + f).isNotBlank());
        }
        assertThat(strings(h.path("records"))).contains("ANNUAL_RECORD", "CALENDAR_MONTH_RECORD", "MONTHLY_RECORD")
                .doesNotContain("YEAR_TO_DATE_RECORD");
    }

    @Test
    void the_fourth_quarter_is_counted_once_the_next_year_began() {
        for (int m = 1; m <= 12; m++) {
            totals.put(String.format("2024-%02d|NATIONAL|KR", m), state(100, 1, String.format("2024-%02d-10T10:00:00+09:00", m), 1));
        }
        totals.put("2024|NATIONAL|KR", state(1200, 12, "2024-12-10T10:00:00+09:00", 12));
        assertThat(periods(queries.history(snapshot(), Dimension.NATIONAL, "KR").path("yearsToDate")))
                .containsExactly("2024-Q1", "2024-Q2", "2024-Q3");
        totals.put("2025|NATIONAL|KR", state(100, 1, "2025-01-02T09:00:00+09:00", 1));
        JsonNode ytd = queries.history(snapshot(), Dimension.NATIONAL, "KR").path("yearsToDate");
        assertThat(periods(ytd)).containsExactly("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4");
        assertThat(ytd.get(3).path("totalUsd").asText()).isEqualTo("12.00");
        assertThat(ytd.get(2).path("totalUsd").asText()).isEqualTo("9.00");
        assertThat(ytd.get(3).path("exporters").asLong()).isEqualTo(12);
    }

    @Test
    void history_of_a_configured_total_with_exporters_and_of_a_counted_total_without_history() {
        JsonNode sme = queries.history(snapshot(), Dimension.EXPORTER_SIZE, "SME");
        assertThat(sme.path("since").asText()).isEqualTo("2024");
        assertThat(sme.path("years").get(0).path("totalUsd").isNull()).isTrue();
        assertThat(sme.path("years").get(0).path("exporters").asLong()).isEqualTo(97_500);
        assertThat(sme.path("yearsToDate").get(0).path("exporters").asLong()).isEqualTo(95_000);
        assertThat(strings(sme.path("records"))).containsExactly("YEAR_TO_DATE_RECORD");
        assertThat(strings(sme.path("yearToDateMeasures"))).containsExactly("VALUE", "EXPORTERS");

        totals.put("2025|CATEGORY|SEMICONDUCTORS", state(17_345_678_901_234L, 300, "2025-11-28T15:00:00+09:00", 0));
        JsonNode chips = queries.history(snapshot(), Dimension.CATEGORY, "SEMICONDUCTORS");
        assertThat(chips.path("since").asText()).isEqualTo("2025");
        assertThat(chips.path("years").get(0).path("totalUsd").asText()).isEqualTo("173456789012.34");
        assertThat(chips.path("years").get(0).path("exporters").isNull()).isTrue();
        assertThat(chips.path("records")).isEmpty();
    }

    @Test
    void a_total_with_neither_history_nor_counted_periods_is_not_found() {
        totals.put("2025|DESTINATION|US", state(0, 0, "2025-01-02T09:00:00+09:00", 0));
        for (String member : List.of("US", "ZZ")) {
            assertThatThrownBy(() -> queries.history(snapshot(), Dimension.DESTINATION, member))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void monthly_falls_back_on_the_published_months_of_the_year_before() {
        totals.put("2025-06|NATIONAL|KR", state(6_000_000_000_000L, 10, "2025-06-20T10:00:00+09:00", 5));
        JsonNode monthly = queries.monthly(snapshot(), "2025");
        assertThat(monthly.path("months").get(5).path("source").asText()).isEqualTo("pipeline");
        JsonNode june2024 = monthly.path("previousYear").path("months").get(5);
        assertThat(june2024.path("totalUsd").asText()).isEqualTo("57070000000.00");
        assertThat(june2024.path("source").asText()).isEqualTo("history");
        assertThat(monthly.path("previousYear").path("months").get(6).path("totalUsd").isNull()).isTrue();
    }

    @Test
    void milestones_of_a_year_include_its_months_and_quarters_with_every_v2_field() {
        put(milestone("2024|NATIONAL|KR|ANNUAL_RECORD", MilestoneKind.ANNUAL_RECORD, "2024", "2024-12-20T10:00:00+09:00",
                new Milestone.Story(null, null, null, null, "2022", "1995", null, null, null, null)));
        put(milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD, "2025", "2025-12-29T13:03:27+09:00",
                Milestone.Story.threshold(true, null, new BigDecimal("600000000000.00"), "2018")));
        put(milestone("2025|NATIONAL|KR|ANNUAL_RECORD", MilestoneKind.ANNUAL_RECORD, "2025", "2025-12-20T11:36:00+09:00",
                Milestone.Story.record("2024", "1995")));
        put(milestone("2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD", MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06",
                "2025-06-27T16:00:00+09:00", new Milestone.Story(null, null, null, null, "2024-06", "2018", 2, null, null, null)));
        put(milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS", MilestoneKind.YEAR_TO_DATE_RECORD, "2025-Q3",
                "2025-10-01T00:00:00+09:00", new Milestone.Story(null, null, null, null, "2024-Q3", "2018", null,
                        RecordMeasure.EXPORTERS, 96_000L, 95_000L)));
        // Retracted: not in force.
        Milestone retracted = milestone("2025-09|NATIONAL|KR|RECORD", MilestoneKind.MONTHLY_RECORD, "2025-09",
                "2025-09-30T10:00:00+09:00", Milestone.Story.record("2024-12", "2018"));
        put(new Milestone(retracted.milestoneId(), retracted.kind(), MilestoneType.RETRACTED, retracted.period(),
                retracted.dimension(), retracted.member(), retracted.thresholdUsd(), retracted.totalUsd(), retracted.crossedAt(),
                retracted.crossedAtLocalTime(), retracted.declarationId(), retracted.detectedAt(), true, retracted.story()));

        assertThat(ids(queries.milestones(snapshot(), "2025"))).containsExactly("2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD",
                "2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS", "2025|NATIONAL|KR|ANNUAL_RECORD",
                "2025|NATIONAL|KR|700000000000");
        assertThat(ids(queries.milestones(snapshot(), "2025-Q3"))).containsExactly("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS");
        assertThat(ids(queries.milestones(snapshot(), "2025-06"))).containsExactly("2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD");
        assertThat(ids(queries.milestones(snapshot(), "2024"))).containsExactly("2024|NATIONAL|KR|ANNUAL_RECORD");
        assertThat(ids(queries.milestones(snapshot(), null))).hasSize(5);

        JsonNode list = queries.milestones(snapshot(), "2025").path("milestones");
        JsonNode calendar = list.get(0);
        assertThat(calendar.path("kind").asText()).isEqualTo("CALENDAR_MONTH_RECORD");
        assertThat(calendar.path("streak").asInt()).isEqualTo(2);
        assertThat(calendar.path("recordPeriod").asText()).isEqualTo("2024-06");
        assertThat(calendar.path("since").asText()).isEqualTo("2018");
        JsonNode ytd = list.get(1);
        assertThat(ytd.path("period").asText()).isEqualTo("2025-Q3");
        assertThat(ytd.path("measure").asText()).isEqualTo("EXPORTERS");
        assertThat(ytd.path("exporters").asLong()).isEqualTo(96_000);
        assertThat(ytd.path("previousBestExporters").asLong()).isEqualTo(95_000);
        assertThat(ytd.path("declarationId").isNull()).isTrue();
        JsonNode threshold = list.get(3);
        assertThat(threshold.path("firstTime").asBoolean()).isTrue();
        assertThat(threshold.path("previousThresholdUsd").asText()).isEqualTo("600000000000.00");
        assertThat(threshold.path("previousThresholdFirstReached").asText()).isEqualTo("2018");
        assertThat(threshold.has("streak")).isFalse();
    }

    @Test
    void the_forecast_of_a_total_is_the_latest_one_stage_2_keeps_with_its_nulls() {
        Forecast national = forecast("2025", Dimension.NATIONAL, "KR", "2025-12-15T18:00:00+09:00");
        forecasts.put("2025|NATIONAL|KR", JSON.write(national));
        // What an estimate cannot give yet is null, and stays null on the way out.
        Forecast early = new Forecast("2025", Dimension.CATEGORY, "SEMICONDUCTORS", OffsetDateTime.parse("2025-01-09T10:00:00+09:00"),
                new BigDecimal("1234567890.12"), new BigDecimal("170000000000.00"), null,
                List.of(new Forecast.ThresholdForecast(new BigDecimal("200000000000.00"), null, null,
                        new Forecast.TimeRange(null, null), null)),
                "last year's total spread by the shape of the year; no range until errors can be measured");
        forecasts.put("2025|CATEGORY|SEMICONDUCTORS", JSON.write(early));

        JsonNode n = queries.nationalForecast(snapshot(), "2025");
        assertThat(Json.bytes(n)).isEqualTo(JSON.write(national));
        assertThat(n.path("projectedYearEndUsd").isTextual()).isTrue();
        assertThat(n.path("thresholds").get(0).path("expectedAtLocalTime").asText()).isEqualTo("2:20 p.m.");

        JsonNode chips = queries.forecast(snapshot(), "2025", Dimension.CATEGORY, "SEMICONDUCTORS");
        assertThat(Json.bytes(chips)).isEqualTo(JSON.write(early));
        assertThat(chips.path("projectedYearEndRange").isNull()).isTrue();
        JsonNode t = chips.path("thresholds").get(0);
        assertThat(t.path("expectedAt").isNull()).isTrue();
        assertThat(t.path("range").path("earliest").isNull()).isTrue();
        assertThat(t.path("probabilityThisYear").isNull()).isTrue();
    }

    @Test
    void no_forecast_for_a_key_is_not_found_with_a_message_naming_it() {
        forecasts.put("2025|NATIONAL|KR", JSON.write(forecast("2025", Dimension.NATIONAL, "KR", "2025-12-15T18:00:00+09:00")));
        assertThatThrownBy(() -> queries.nationalForecast(snapshot(), "2024"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("2024").hasMessageContaining("NATIONAL KR");
        assertThatThrownBy(() -> queries.forecast(snapshot(), "2025", Dimension.REGION, "ASEAN"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("REGION ASEAN");
        // A national forecast of another country is not this instance's.
        assertThatThrownBy(() -> queries.forecast(snapshot(), "2025", Dimension.NATIONAL, "JP"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void an_unreadable_forecast_in_the_store_is_an_internal_error_not_a_made_up_answer() {
        forecasts.put("2025|NATIONAL|KR", "{\"year\":\"2025\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> queries.nationalForecast(snapshot(), "2025"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2025|NATIONAL|KR");
    }

    // ------------------------------------------------------------------ helpers

    /** A forecast as 5b shows it: $700B expected Dec 29 at 2:20 p.m., range Dec 28 10 a.m. to Dec 30 11 a.m. */
    static Forecast forecast(String year, Dimension dimension, String member, String asOf) {
        return new Forecast(year, dimension, member, OffsetDateTime.parse(asOf), new BigDecimal("651234567890.12"),
                new BigDecimal("709100000000.00"), new Forecast.Range(new BigDecimal("703000000000.00"), new BigDecimal("715000000000.00")),
                List.of(new Forecast.ThresholdForecast(new BigDecimal("700000000000.00"), OffsetDateTime.parse(year + "-12-29T14:20:00+09:00"),
                        "2:20 p.m.", new Forecast.TimeRange(OffsetDateTime.parse(year + "-12-28T10:00:00+09:00"),
                                OffsetDateTime.parse(year + "-12-30T11:00:00+09:00")), new BigDecimal("0.97"))),
                "run rate of this year x the shape of the rest of the year on record");
    }

    private LocalStores.Snapshot snapshot() {
        return new LocalStores.Snapshot(totals, milestones, forecasts, false);
    }

    /** A stored total, as stage 2 keeps it. */
    static TotalState state(long cents, long declarations, String asOf, long exporters) {
        Instant at = OffsetDateTime.parse(asOf).toInstant();
        byte[] bytes = ByteBuffer.allocate(37).put((byte) 1).putLong(cents).putLong(declarations)
                .putLong(at.getEpochSecond()).putInt(at.getNano()).putLong(exporters).array();
        return TotalState.serde().deserializer().deserialize("totals", bytes);
    }

    private void put(Milestone m) {
        milestones.put(m.milestoneId(), JSON.write(m));
    }

    static Milestone milestone(String id, MilestoneKind kind, String period, String crossedAt, Milestone.Story story) {
        String[] parts = id.split("\\|");
        boolean ytd = kind == MilestoneKind.YEAR_TO_DATE_RECORD;
        OffsetDateTime at = OffsetDateTime.parse(crossedAt);
        return new Milestone(id, kind, MilestoneType.CROSSED, period, Dimension.valueOf(parts[1]), parts[2],
                new BigDecimal("600000000000.00"), new BigDecimal("600000001234.56"), at,
                at.getHour() == 0 ? "12:00 a.m." : "1:03 p.m.", ytd ? null : "43210-25-0123456X",
                at.toInstant().plusMillis(412), true, story);
    }

    private static List<String> periods(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(f -> out.add(f.path("period").asText()));
        return out;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(f -> out.add(f.asText()));
        return out;
    }

    private static List<String> ids(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("milestones").forEach(m -> out.add(m.path("milestoneId").asText()));
        return out;
    }
}
