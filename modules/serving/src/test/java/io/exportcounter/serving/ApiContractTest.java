package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checker the serving tests run on every answer: answers as the server writes them pass, and each kind of
 * drift from the OpenAPI document fails (so a test that receives one fails with the reason).
 */
class ApiContractTest {
    private static final ApiContract CONTRACT = ApiContract.served();
    private static final String TOTAL = "{\"period\":\"2025\",\"dimension\":\"NATIONAL\",\"member\":\"KR\","
            + "\"totalUsd\":\"700000001234.56\",\"declarations\":123456,\"asOf\":\"2025-12-29T13:03:27+09:00\",\"exporters\":98765}";
    private static final String MILESTONE = "{\"milestoneId\":\"2025|NATIONAL|KR|700000000000\",\"kind\":\"THRESHOLD\","
            + "\"type\":\"CROSSED\",\"period\":\"2025\",\"dimension\":\"NATIONAL\",\"member\":\"KR\","
            + "\"thresholdUsd\":\"700000000000.00\",\"totalUsd\":\"700000001234.56\",\"crossedAt\":\"2025-12-29T13:03:27+09:00\","
            + "\"crossedAtLocalTime\":\"1:03 p.m.\",\"declarationId\":\"43210-25-0123456X\",\"detectedAt\":\"2025-12-29T04:03:27.412Z\","
            + "\"provisional\":true,\"firstTime\":true,\"previousThresholdUsd\":\"600000000000.00\",\"previousThresholdFirstReached\":\"2018\"}";
    /** A forecast made before anything could measure its error: every nullable field null. */
    private static final String FORECAST_OF_NULLS = "{\"year\":\"2025\",\"dimension\":\"CATEGORY\",\"member\":\"SEMICONDUCTORS\","
            + "\"asOf\":\"2025-01-09T10:00:00+09:00\",\"totalUsd\":\"1234567890.12\",\"projectedYearEndUsd\":\"170000000000.00\","
            + "\"projectedYearEndRange\":null,\"thresholds\":[{\"thresholdUsd\":\"200000000000.00\",\"expectedAt\":null,"
            + "\"expectedAtLocalTime\":null,\"range\":{\"earliest\":null,\"latest\":null},\"probabilityThisYear\":null}],"
            + "\"method\":\"last year's total spread by the shape of the year\"}";
    private static final Map<String, List<String>> ROUTED = Map.of("Content-Type", List.of("application/json"),
            "Cache-Control", List.of("no-store"), "X-Export-Counter-Served-By", List.of("pipeline-1:8080"));

    @Test
    void the_served_document_is_openapi_3_1_that_swagger_parser_reads_without_a_message() {
        assertThat(ApiContract.servedDocument()).startsWith("{\n  \"openapi\": \"3.1.0\"");
        assertThatThrownBy(() -> ApiContract.of(ApiContract.servedDocument().replace("\"3.1.0\"", "\"3.0.3\"")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiContract.of(ApiContract.servedDocument().replace("\"operationId\"", "\"operationName\"")))
                .hasMessageContaining("operationName");
    }

    @Test
    void an_answer_as_the_server_writes_it_passes() {
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, ROUTED, TOTAL)).isEmpty();
        assertThat(CONTRACT.problems("HEAD", "/api/v1/totals/2025", 200, ROUTED, "")).isEmpty();
        assertThat(CONTRACT.problems("GET", "/api/v1/milestones?period=2025", 200, ROUTED,
                "{\"period\":\"2025\",\"milestones\":[" + MILESTONE + "]}")).isEmpty();
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/20x5", 400, Map.of("Content-Type", List.of("application/json"),
                "Cache-Control", List.of("no-store")), "{\"error\":\"period must be a year\"}")).isEmpty();
        assertThat(CONTRACT.eventProblems("total", TOTAL)).isEmpty();
        assertThat(CONTRACT.eventProblems("milestone", MILESTONE)).isEmpty();
        String forecast = new String(io.exportcounter.contract.ContractJson.instance().write(StoreQueriesTest.forecast("2025",
                io.exportcounter.contract.Dimension.NATIONAL, "KR", "2025-12-15T18:00:00+09:00")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025", 200, ROUTED, forecast)).isEmpty();
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025/CATEGORY/SEMICONDUCTORS", 200, ROUTED, FORECAST_OF_NULLS)).isEmpty();
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025/category/semiconductors", 404, Map.of("Content-Type",
                List.of("application/json"), "Cache-Control", List.of("no-store"), "X-Export-Counter-Served-By", List.of("pipeline-1:8080")),
                "{\"error\":\"no forecast for CATEGORY SEMICONDUCTORS in 2025\"}")).isEmpty();
    }

    @Test
    void a_forecast_with_money_as_a_number_or_a_field_the_contract_does_not_name_fails() {
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025/CATEGORY/SEMICONDUCTORS", 200, ROUTED,
                FORECAST_OF_NULLS.replace("\"170000000000.00\"", "170000000000.00"))).singleElement().asString().contains("projectedYearEndUsd");
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025/CATEGORY/SEMICONDUCTORS", 200, ROUTED,
                FORECAST_OF_NULLS.replace("\"probabilityThisYear\":null", "\"probabilityThisYear\":null,\"confidence\":\"high\"")))
                .anySatisfy(p -> assertThat(p).contains("confidence"));
        assertThat(CONTRACT.problems("GET", "/api/v1/forecast/2025/CATEGORY/SEMICONDUCTORS", 200, ROUTED,
                FORECAST_OF_NULLS.replace("\"probabilityThisYear\":null", "\"probabilityThisYear\":\"97%\""))).isNotEmpty();
    }

    @Test
    void a_renamed_field_fails() {
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, ROUTED, TOTAL.replace("\"totalUsd\"", "\"totalUSD\"")))
                .anySatisfy(p -> assertThat(p).contains("totalUsd"))
                .anySatisfy(p -> assertThat(p).contains("totalUSD"));
        assertThat(CONTRACT.problems("GET", "/api/v1/milestones", 200, ROUTED,
                "{\"period\":null,\"milestones\":[" + MILESTONE.replace("\"crossedAtLocalTime\"", "\"crossedLocalTime\"") + "]}"))
                .anySatisfy(p -> assertThat(p).contains("crossedAtLocalTime"));
        assertThat(CONTRACT.eventProblems("total", TOTAL.replace("\"asOf\"", "\"asAt\""))).isNotEmpty();
    }

    @Test
    void money_as_a_json_number_or_a_time_without_its_offset_fails() {
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, ROUTED, TOTAL.replace("\"700000001234.56\"", "700000001234.56")))
                .singleElement().asString().contains("totalUsd");
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, ROUTED,
                TOTAL.replace("2025-12-29T13:03:27+09:00", "2025-12-29T13:03:27")))
                .isNotEmpty().allSatisfy(p -> assertThat(p).contains("/asOf"));
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, ROUTED, TOTAL.replace("\"NATIONAL\"", "\"COUNTRY\"")))
                .isNotEmpty();
    }

    @Test
    void an_undocumented_status_a_missing_header_or_another_content_type_fails() {
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 500, ROUTED, "{\"error\":\"internal error\"}"))
                .singleElement().asString().contains("status 500 is not documented");
        assertThat(CONTRACT.problems("GET", "/api/v1/thresholds", 404, ROUTED, "{\"error\":\"not found\"}"))
                .singleElement().asString().contains("status 404 is not documented");
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, Map.of("Content-Type", List.of("application/json"),
                "Cache-Control", List.of("no-store")), TOTAL))
                .singleElement().asString().contains("required header X-Export-Counter-Served-By is missing");
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, Map.of("content-type", List.of("text/html"),
                "cache-control", List.of("no-store"), "x-export-counter-served-by", List.of("pipeline-1:8080")), TOTAL))
                .singleElement().asString().contains("Content-Type text/html");
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/2025", 200, Map.of("Content-Type", List.of("application/json"),
                "Cache-Control", List.of("max-age=60"), "X-Export-Counter-Served-By", List.of("pipeline-1:8080")), TOTAL))
                .singleElement().asString().contains("Cache-Control");
    }

    @Test
    void requests_the_document_does_not_list_get_its_unlisted_answers() {
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"), "Cache-Control", List.of("no-store"));
        assertThat(CONTRACT.problems("GET", "/api/v1/nothing-here", 404, json, "{\"error\":\"not found\"}")).isEmpty();
        assertThat(CONTRACT.problems("DELETE", "/api/v1/totals/2025", 405, Map.of("Content-Type", List.of("application/json"),
                "Cache-Control", List.of("no-store"), "Allow", List.of("GET, HEAD")), "{\"error\":\"the API is read-only\"}")).isEmpty();
        assertThat(CONTRACT.problems("DELETE", "/api/v1/totals/2025", 405, json, "{\"error\":\"the API is read-only\"}"))
                .singleElement().asString().contains("required header Allow is missing");
        assertThat(CONTRACT.problems("POST", "/api/v1/totals/2025", 200, ROUTED, TOTAL))
                .singleElement().asString().contains("status 200 is not documented");
        // A malformed path never reaches the route its text resembles: Jetty answers, without Cache-Control.
        assertThat(CONTRACT.problems("GET", "/api/v1/totals/%ZZ", 400, Map.of("Content-Type", List.of("application/json")),
                "{\"error\":\"bad request\"}")).isEmpty();
        assertThat(CONTRACT.problems("GET", "/api/v1/nothing-here", 200, json, "{}"))
                .singleElement().asString().contains("status 200 is not documented");
    }

    @Test
    void an_undocumented_event_fails() {
        assertThat(CONTRACT.eventProblems("rejection", "{}")).singleElement().asString().contains("not documented");
    }
}
