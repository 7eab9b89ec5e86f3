package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountsTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "700000000000.00; $700 billion; 7,000억 달러",
            "1000000000000.00; $1 trillion; 1조 달러",
            "1200000000000.00; $1.2 trillion; 1조 2,000억 달러",
            "1250000000000.00; $1.25 trillion; 1조 2,500억 달러",
            "150000000000.00; $150 billion; 1,500억 달러",
            "500000000.00; $500 million; 5억 달러",
            "1000.00; $1,000; 1,000달러",
            "1234.50; $1,234.50; 1,234.50달러",
            "150000000.00; $150 million; 1억 5,000만 달러"})
    void thresholds_are_written_exactly(String usd, String english, String korean) {
        assertThat(Amounts.english(new BigDecimal(usd))).isEqualTo(english);
        assertThat(Amounts.korean(new BigDecimal(usd))).isEqualTo(korean);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "61400000000.00; $61.4 billion; 614억 달러",
            "61392345678.90; $61.4 billion; 614억 달러",
            "69570000000.00; $69.6 billion; 696억 달러",
            "709700000000.00; $709.7 billion; 7,097억 달러",
            "999960000000.00; $1 trillion; 1조 달러",
            "1000.49; $1,000; 1,000달러"})
    void totals_are_rounded_as_the_press_does(String usd, String english, String korean) {
        assertThat(Amounts.english(new BigDecimal(usd), 0, RoundingMode.HALF_UP)).isEqualTo(english);
        assertThat(Amounts.korean(new BigDecimal(usd), 0, RoundingMode.HALF_UP)).isEqualTo(korean);
    }

    @Test
    void finer_levels_tell_close_figures_apart() {
        BigDecimal v = new BigDecimal("61392345678.90");

        assertThat(Amounts.english(v, 1, RoundingMode.HALF_UP)).isEqualTo("$61.39 billion");
        assertThat(Amounts.english(v, 2, RoundingMode.HALF_UP)).isEqualTo("$61.392 billion");
        assertThat(Amounts.korean(v, 1, RoundingMode.HALF_UP)).isEqualTo("613억 9,000만 달러");
        assertThat(Amounts.korean(v, 2, RoundingMode.HALF_UP)).isEqualTo("613억 9,235만 달러");
    }

    @Test
    void a_total_just_below_a_threshold_rounded_down_stays_below_it() {
        BigDecimal v = new BigDecimal("699999999999.99");

        assertThat(Amounts.english(v, 0, RoundingMode.DOWN)).isEqualTo("$699.9 billion");
        assertThat(Amounts.korean(v, 0, RoundingMode.DOWN)).isEqualTo("6,999억 달러");
    }
}
