package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiAccessTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private final ApiAccess open = new ApiAccess(Secret.of(""));
    private final ApiAccess closed = new ApiAccess(Secret.of(TOKEN));

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"})
    void only_get_and_head_are_allowed_with_or_without_a_token(String method) {
        for (ApiAccess access : new ApiAccess[] {open, closed}) {
            ApiAccess.Refusal r = access.check(method, "/api/v1/totals/2025", "Bearer " + TOKEN, null);
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.headers()).containsEntry("Allow", "GET, HEAD");
        }
        assertThat(open.check("GET", "/api/v1/totals/2025", null, null)).isNull();
        assertThat(open.check("HEAD", "/metrics", null, null)).isNull();
    }

    @Test
    void without_a_configured_token_everything_readable_is_open() {
        assertThat(open.protectedByToken()).isFalse();
        assertThat(open.check("GET", "/api/v1/status", "Bearer whatever", null)).isNull();
    }

    @Test
    void with_a_token_health_and_the_dashboard_page_stay_open() {
        for (String path : new String[] {"/health", "/", "/assets/dashboard.js", "/assets/favicon.svg"}) {
            assertThat(closed.check("GET", path, null, null)).as(path).isNull();
        }
    }

    @Test
    void with_a_token_the_api_metrics_and_unknown_paths_need_it() {
        for (String path : new String[] {"/api/v1/totals/2025", "/metrics", "/api/v1/events", "/nope", "/healthz", "/assets"}) {
            ApiAccess.Refusal r = closed.check("GET", path, null, null);
            assertThat(r).as(path).isNotNull();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"export-counter\"");
            assertThat(closed.check("GET", path, "Bearer " + TOKEN, null)).as(path).isNull();
        }
    }

    @Test
    void the_scheme_is_case_insensitive_the_token_is_not() {
        assertThat(closed.check("GET", "/metrics", "bearer " + TOKEN, null)).isNull();
        assertThat(closed.check("GET", "/metrics", "BEARER  " + TOKEN + " ", null)).isNull();
        ApiAccess.Refusal upper = closed.check("GET", "/metrics", "Bearer " + TOKEN.toUpperCase(), null);
        assertThat(upper.status()).isEqualTo(401);
        assertThat(upper.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void other_schemes_and_near_misses_are_invalid_and_never_echoed() {
        for (String header : new String[] {"Basic " + TOKEN, TOKEN, "Bearer", "Bearer " + TOKEN + "0", "Bearer " + TOKEN.substring(1)}) {
            ApiAccess.Refusal r = closed.check("GET", "/api/v1/status", header, null);
            assertThat(r.status()).as(header).isEqualTo(401);
            assertThat(r.message()).doesNotContain(TOKEN.substring(1));
        }
    }

    @Test
    void the_query_token_counts_on_the_events_stream_only() {
        assertThat(closed.check("GET", "/api/v1/events", null, TOKEN)).isNull();
        assertThat(closed.check("GET", "/api/v1/events", null, "nope").status()).isEqualTo(401);
        assertThat(closed.check("GET", "/api/v1/totals/2025", null, TOKEN).status()).isEqualTo(401);
        // A header, when sent, is what counts.
        assertThat(closed.check("GET", "/api/v1/events", "Bearer nope", TOKEN).status()).isEqualTo(401);
    }

    @Test
    void forwarded_requests_carry_the_token_as_a_bearer_header() {
        assertThat(ApiAccess.authorizationHeader(Secret.of(TOKEN))).isEqualTo("Bearer " + TOKEN);
        assertThat(ApiAccess.authorizationHeader(Secret.of(""))).isNull();
    }
}
