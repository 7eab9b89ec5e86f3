package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {
    private static final long BILLION = 100_000_000_000L; // cents

    @Test
    void packaged_2025_has_domain_md_shape() {
        Calibration c = Calibration.load(2025, null);
        long[] m = c.monthTargetsCents();
        assertThat(Arrays.stream(m, 0, 11).sum()).isEqualTo(6402 * BILLION / 10);
        assertThat(m[11]).isEqualTo(695 * BILLION / 10);
        assertThat(c.annualCents()).isEqualTo(7097 * BILLION / 10);
        // Jan-Nov keep the published months' proportions: January is the smallest, September the largest.
        assertThat(m[0]).isBetween(489 * BILLION / 10, 492 * BILLION / 10);
        assertThat(m[8]).isBetween(657 * BILLION / 10, 660 * BILLION / 10);
        assertThat(c.plannedCrossing()).hasValueSatisfying(p -> {
            assertThat(p.thresholdCents()).isEqualTo(700 * BILLION);
            assertThat(p.at()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00").toInstant());
        });
    }

    @Test
    void packaged_2024_is_scaled_to_683_8_billion_without_crossing() {
        Calibration c = Calibration.load(2024, null);
        assertThat(c.annualCents()).isEqualTo(6838 * BILLION / 10);
        assertThat(c.plannedCrossing()).isEmpty();
        long[] m = c.monthTargetsCents();
        assertThat(m[11]).isGreaterThan(m[0]); // December 2024 was the year's best month
    }

    @Test
    void any_year_from_a_csv_file_as_it_stands(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("2023.csv");
        StringBuilder csv = new StringBuilder("# my months\nmonth,totalUsd\n");
        for (int month = 1; month <= 12; month++) {
            csv.append(String.format("2023-%02d,%d.%02d%n", month, 50_000_000_000L + month, month));
        }
        csv.append("2022-12,1.00\n"); // other years are ignored
        Files.writeString(file, csv);
        Calibration c = Calibration.load(2023, file);
        assertThat(c.monthTargetsCents()[0]).isEqualTo(5_000_000_000_101L);
        assertThat(c.monthTargetsCents()[11]).isEqualTo(5_000_000_001_212L);
        assertThat(c.plannedCrossing()).isEmpty();
        assertThat(c.source()).contains("2023.csv");
    }

    @Test
    void a_file_may_give_each_months_first_twenty_days(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("2023.csv");
        StringBuilder csv = new StringBuilder("month,totalUsd,firstTwentyDaysUsd\n");
        for (int month = 1; month <= 12; month++) {
            csv.append(String.format("2023-%02d,500.00,%s%n", month, month == 12 ? "" : "300.00"));
        }
        Files.writeString(file, csv);
        Calibration c = Calibration.load(2023, file);
        assertThat(c.firstTwentyDaysCents(1)).isEqualTo(30_000);
        assertThat(c.firstTwentyDaysCents(12)).isEqualTo(-1);

        Files.writeString(file, "month,totalUsd,firstTwentyDaysUsd\n2023-01,500.00,500.00\n");
        assertThatThrownBy(() -> Calibration.load(2023, file))
                .hasMessageContaining("line 2").hasMessageContaining("firstTwentyDaysUsd must be less than");
        Files.writeString(file, "month,totalUsd,firstTwentyDaysUsd\n2023-01,500.00\n");
        assertThatThrownBy(() -> Calibration.load(2023, file)).hasMessageContaining("line 2").hasMessageContaining("may be empty");
    }

    @Test
    void packaged_years_keep_the_published_share_of_the_first_twenty_days() {
        // 2025-01: $31.615B of $49.12B published, January scaled with Jan-Nov to $640.2B
        Calibration c = Calibration.load(2025, null);
        assertThat((double) c.firstTwentyDaysCents(1) / c.monthTargetsCents()[0]).isCloseTo(31.615 / 49.12, within(1e-9));
        // December 2025 is cut by its own shape ($43.0B by the 20th, then the planned crossing)
        assertThat(c.firstTwentyDaysCents(12)).isEqualTo(-1);
    }

    @Test
    void a_bad_file_is_refused_with_its_line(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "month,totalUsd\n2023-01,12.345\n");
        assertThatThrownBy(() -> Calibration.load(2023, file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("totalUsd");
        Files.writeString(file, "month,totalUsd\n2023-01,12.34\n");
        assertThatThrownBy(() -> Calibration.load(2023, file)).hasMessageContaining("no total for 2023-02");
        Files.writeString(file, "mon,usd\n");
        assertThatThrownBy(() -> Calibration.load(2023, file)).hasMessageContaining("header");
        assertThatThrownBy(() -> Calibration.load(2023, dir.resolve("missing.csv"))).hasMessageContaining("cannot be read");
    }

    @Test
    void a_year_without_packaged_history_needs_a_file() {
        assertThatThrownBy(() -> Calibration.load(2019, null)).hasMessageContaining("2019").hasMessageContaining("CSV");
    }

    @Test
    void scaling_hits_the_total_to_the_cent() {
        long[] scaled = Calibration.scale(new long[] {1, 1, 1}, 0, 3, 100);
        assertThat(scaled).containsExactly(34, 33, 33);
        assertThat(Arrays.stream(Calibration.scale(new long[] {5469, 5241, 5656}, 0, 3, 999_999_999_999L)).sum())
                .isEqualTo(999_999_999_999L);
    }
}
