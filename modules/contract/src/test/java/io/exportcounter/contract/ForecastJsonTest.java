package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.schema.RecordSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forecast record of CONTRACT.md section 5b: the contract's example reads, writes back, and keeps its schema. */
class ForecastJsonTest {
    private static final ContractJson JSON = ContractJson.instance();
    private static final String EXAMPLE = """
            {"year":"2025","dimension":"NATIONAL","member":"KR","asOf":"2025-12-15T18:00:00+09:00",
             "totalUsd":"651234567890.12","projectedYearEndUsd":"709100000000.00",
             "projectedYearEndRange":{"low":"703000000000.00","high":"715000000000.00"},
             "thresholds":[{"thresholdUsd":"700000000000.00","expectedAt":"2025-12-29T14:20:00+09:00",
               "expectedAtLocalTime":"2:20 p.m.",
               "range":{"earliest":"2025-12-28T10:00:00+09:00","latest":"2025-12-30T11:00:00+09:00"},
               "probabilityThisYear":"0.97"}],
             "method":"run rate of this year x the shape of the rest of the year on record"}""";

    @Test
    void the_contract_example_reads_writes_back_the_same_and_keeps_the_schema() throws Exception {
        Forecast f = JSON.parseForecast(EXAMPLE.getBytes(StandardCharsets.UTF_8));

        assertThat(f.key()).isEqualTo("2025|NATIONAL|KR");
        assertThat(f.projectedYearEndRange().low()).isEqualByComparingTo("703000000000.00");
        assertThat(f.thresholds()).singleElement().satisfies(t -> {
            assertThat(t.expectedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T14:20:00+09:00"));
            assertThat(t.probabilityThisYear()).isEqualByComparingTo("0.97");
        });
        byte[] written = JSON.write(f);
        assertThat(JSON.parseForecast(written)).isEqualTo(f);
        assertThat(SchemaCheck.violations(RecordSchema.FORECAST, written)).isEmpty();
    }

    @Test
    void what_an_estimate_cannot_give_yet_is_written_as_null_and_keeps_the_schema() throws Exception {
        Forecast f = new Forecast("2025", Dimension.NATIONAL, "KR", OffsetDateTime.parse("2025-01-03T09:00:00+09:00"),
                new BigDecimal("1000000.00"), new BigDecimal("365000000.00"), null,
                List.of(new Forecast.ThresholdForecast(new BigDecimal("700000000000.00"), null, null,
                        new Forecast.TimeRange(null, null), new BigDecimal("0.00"))), "run rate");
        byte[] written = JSON.write(f);

        assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"projectedYearEndRange\":null")
                .contains("\"expectedAt\":null");
        assertThat(JSON.parseForecast(written)).isEqualTo(f);
        assertThat(SchemaCheck.violations(RecordSchema.FORECAST, written)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "\"totalUsd\":\"651234567890.12\";\"totalUsd\":651234567890.12;totalUsd",
            "\"year\":\"2025\";\"year\":\"25\";year",
            "\"probabilityThisYear\":\"0.97\";\"probabilityThisYear\":\"97%\";thresholds[0].probabilityThisYear",
            "\"latest\":\"2025-12-30T11:00:00+09:00\";\"latest\":\"2025-12-30\";thresholds[0].range.latest",
            "\"method\":;\"methods\":;methods"})
    void a_broken_forecast_is_rejected_naming_the_field(String good, String bad, String field) {
        byte[] broken = EXAMPLE.replace(good, bad).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JSON.parseForecast(broken)).isInstanceOf(InvalidRecordException.class)
                .satisfies(e -> assertThat(((InvalidRecordException) e).field()).isEqualTo(field));
        assertThat(SchemaCheck.violations(RecordSchema.FORECAST, broken)).isNotEmpty();
    }
}
