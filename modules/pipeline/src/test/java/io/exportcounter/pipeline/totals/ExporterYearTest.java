package io.exportcounter.pipeline.totals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.ExporterSize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExporterYearTest {
    private final int[] moves = new int[2];

    @Test
    void the_counts_of_all_sizes_and_of_one_size_move_only_between_zero_and_one() {
        ExporterYear y = new ExporterYear();

        y.add(3, ExporterSize.SME, 1, moves);
        assertThat(moves).containsExactly(1, 1);
        y.add(3, ExporterSize.SME, 1, moves);
        assertThat(moves).containsExactly(0, 0);
        // The same exporter declared as LARGE once: a new exporter for LARGE, not for the month.
        y.add(3, ExporterSize.LARGE, 1, moves);
        assertThat(moves).containsExactly(0, 1);

        y.add(3, ExporterSize.SME, -1, moves);
        assertThat(moves).containsExactly(0, 0);
        y.add(3, ExporterSize.SME, -1, moves);
        assertThat(moves).containsExactly(0, -1);
        y.add(3, ExporterSize.LARGE, -1, moves);
        assertThat(moves).containsExactly(-1, -1);
        assertThat(y.isEmpty()).isTrue();
    }

    @Test
    void periods_are_counted_apart() {
        ExporterYear y = new ExporterYear();
        y.add(0, ExporterSize.MIDSIZE, 1, moves);
        y.add(12, ExporterSize.MIDSIZE, 1, moves);
        assertThat(moves).containsExactly(1, 1);
        assertThat(y.count(0, ExporterSize.MIDSIZE)).isEqualTo(1);
        assertThat(y.count(1, ExporterSize.MIDSIZE)).isZero();
    }

    @Test
    void encoding_keeps_every_count_and_only_the_nonzero_ones() {
        ExporterYear y = new ExporterYear();
        for (int i = 0; i < 300; i++) {
            y.add(0, ExporterSize.UNKNOWN, 1, moves);
        }
        y.add(7, ExporterSize.LARGE, 1, moves);

        byte[] bytes = y.encode();
        ExporterYear back = ExporterYear.decode(bytes);

        assertThat(bytes).hasSize(1 + 2 * 5);
        assertThat(back.count(0, ExporterSize.UNKNOWN)).isEqualTo(300);
        assertThat(back.count(7, ExporterSize.LARGE)).isEqualTo(1);
        assertThat(back.count(7, ExporterSize.SME)).isZero();
        assertThat(ExporterYear.decode(null).isEmpty()).isTrue();
    }

    @Test
    void removing_what_was_never_added_is_a_bug_and_says_so() {
        assertThatThrownBy(() -> new ExporterYear().add(2, ExporterSize.SME, -1, moves))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("below zero");
    }

    @Test
    void exporter_years_sort_in_the_byte_order_of_their_store_keys() {
        // Given keys of two years, ids of several lengths (some past the 16 packed characters, some sharing them)
        List<String> keys = new ArrayList<>(List.of("2025|1234567890", "2024|9999999999", "2025|123456789",
                "2025|1234567890123-B", "2025|1234567890123-A", "2025|0000000001", "2025|1234567891", "2025|12345678901"));
        List<ExporterYear> years = new ArrayList<>();
        for (String k : keys) {
            ExporterYear y = new ExporterYear();
            y.key(k);
            years.add(y);
        }

        // When sorted
        years.sort(ExporterYear.BY_KEY);

        // Then in the order RocksDB keeps their UTF-8 keys
        keys.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        assertThat(years).extracting(y -> y.key).containsExactlyElementsOf(keys);
    }
}
