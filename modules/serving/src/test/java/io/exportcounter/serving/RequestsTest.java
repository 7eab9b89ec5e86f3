package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Dimension;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestsTest {

    @Test
    void periods_are_years_or_months() {
        assertThat(Requests.period("2025")).isEqualTo("2025");
        assertThat(Requests.period("2025-11")).isEqualTo("2025-11");
        for (String bad : new String[] {null, "", "25", "2025-13", "2025-00", "2025-1", "2025/11", "2025-11-01", "abcd"}) {
            assertThatThrownBy(() -> Requests.period(bad)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void milestone_periods_are_years_months_or_quarters() {
        for (String good : new String[] {"2025", "2025-11", "2025-Q3", "2025-Q1", "2025-Q4"}) {
            assertThat(Requests.milestonePeriod(good)).isEqualTo(good);
        }
        for (String bad : new String[] {null, "", "2025-Q0", "2025-Q5", "2025-q3", "2025Q3", "2025-13", "last-year"}) {
            assertThatThrownBy(() -> Requests.milestonePeriod(bad)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void members_are_names_in_upper_case() {
        assertThat(Requests.member("KR")).isEqualTo("KR");
        assertThat(Requests.member("sme")).isEqualTo("SME");
        assertThat(Requests.member("SECONDARY_BATTERIES")).isEqualTo("SECONDARY_BATTERIES");
        for (String bad : new String[] {null, "", "K R", "KR;", "../x", "A".repeat(65)}) {
            assertThatThrownBy(() -> Requests.member(bad)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void dimensions_are_case_insensitive_and_checked() {
        assertThat(Requests.dimension("category")).isEqualTo(Dimension.CATEGORY);
        assertThat(Requests.dimension("EXPORTER_SIZE")).isEqualTo(Dimension.EXPORTER_SIZE);
        assertThatThrownBy(() -> Requests.dimension("COLOR")).hasMessageContaining("COLOR").hasMessageContaining("REGION");
    }

    @Test
    void through_month_is_1_to_12() {
        assertThat(Requests.throughMonth("1")).isEqualTo(1);
        assertThat(Requests.throughMonth("12")).isEqualTo(12);
        for (String bad : new String[] {"0", "13", "-1", "x", "", "001"}) {
            assertThatThrownBy(() -> Requests.throughMonth(bad)).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void a_bad_value_is_echoed_short() {
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> Requests.period(huge)).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void shares_are_percent_with_one_decimal_half_up() {
        assertThat(StoreQueries.share(357, 1000)).isEqualTo("35.7");
        assertThat(StoreQueries.share(3575, 10000)).isEqualTo("35.8");
        assertThat(StoreQueries.share(1, 3)).isEqualTo("33.3");
        assertThat(StoreQueries.share(5, 5)).isEqualTo("100.0");
        assertThat(StoreQueries.share(0, 5)).isEqualTo("0.0");
        assertThat(StoreQueries.share(5, 0)).isEqualTo("0.0");
    }

    @Test
    void live_event_filters_pick_totals_by_year_and_dimension() {
        SseHub.Filter all = new SseHub.Filter(null, null);
        SseHub.Filter dashboard = new SseHub.Filter("2025", Set.of("NATIONAL", "CATEGORY"));
        assertThat(all.wantsTotal("2024|REGION|ASEAN")).isTrue();
        assertThat(dashboard.wantsTotal("2025|NATIONAL|KR")).isTrue();
        assertThat(dashboard.wantsTotal("2025-12|CATEGORY|SHIPS")).isTrue();
        assertThat(dashboard.wantsTotal("2025|REGION|ASEAN")).isFalse();
        assertThat(dashboard.wantsTotal("2024|NATIONAL|KR")).isFalse();
    }
}
