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

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            // total; record; English total; English record; Korean total; Korean record
            "683812345678.00; 683800000000.00; $683.81 billion; $683.8 billion; 6,838억 1,000만 달러; 6,838억 달러",
            "683600000000.00; 683800000000.00; $683.6 billion; $683.8 billion; 6,836억 달러; 6,838억 달러",
            "683800950000.00; 683800000000.00; $683.801 billion; $683.8 billion; 6,838억 95만 달러; 6,838억 달러",
            "683800000950.00; 683800000000.00; $683,800,000,950; $683,800,000,000; 6,838억 950달러; 6,838억 달러",
            "683800000000.25; 683800000000.00; $683,800,000,000.25; $683,800,000,000.00; 6,838억 0.25달러; 6,838억 달러",
            "683800000000.00; 683800000000.00; $683.8 billion; $683.8 billion; 6,838억 달러; 6,838억 달러"})
    void a_pair_is_written_finer_until_the_two_differ_down_to_the_cent(String total, String record, String enTotal,
            String enRecord, String koTotal, String koRecord) {
        BigDecimal t = new BigDecimal(total);
        BigDecimal r = new BigDecimal(record);

        assertThat(Amounts.pair(t, RoundingMode.HALF_UP, r, RoundingMode.HALF_UP, true)).containsExactly(enTotal, enRecord);
        assertThat(Amounts.pair(t, RoundingMode.HALF_UP, r, RoundingMode.HALF_UP, false)).containsExactly(koTotal, koRecord);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"71204; 71,204; 7만 1,204", "9850; 9,850; 9,850", "100000; 100,000; 10만",
            "0; 0; 0", "123456789; 123,456,789; 1억 2,345만 6,789"})
    void counts_are_grouped_and_korean_counts_use_man_and_eok(long n, String english, String korean) {
        assertThat(Amounts.englishCount(n)).isEqualTo(english);
        assertThat(Amounts.koreanCount(n)).isEqualTo(korean);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"1; a year", "7; seven years", "10; ten years", "11; 11 years"})
    void small_numbers_of_years_are_words_larger_ones_digits(int n, String years) {
        assertThat(Words.years(n)).isEqualTo(years);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"2; second", "3; third", "12; twelfth", "13; 13th", "21; 21st", "22; 22nd",
            "23; 23rd", "111; 111th"})
    void small_ordinals_are_words_larger_ones_digits(int n, String ordinal) {
        assertThat(Words.ordinal(n)).isEqualTo(ordinal);
    }
}
