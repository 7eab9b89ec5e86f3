package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void convertsExactAmountsToCents() {
        assertThat(Money.toCents(new BigDecimal("1250000.00"))).isEqualTo(125_000_000L);
        assertThat(Money.toCents(new BigDecimal("1.5"))).isEqualTo(150L);
        assertThat(Money.toCents(new BigDecimal("7E+11"))).isEqualTo(70_000_000_000_000L);
        assertThat(Money.toCents(new BigDecimal("1.2300"))).isEqualTo(123L);
        assertThat(Money.toCents(new BigDecimal("-0.05"))).isEqualTo(-5L);
    }

    @Test
    void refusesFractionsOfACentAndOverflow() {
        assertThatThrownBy(() -> Money.toCents(new BigDecimal("1.234"))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.toCents(new BigDecimal("0.001"))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.toCents(new BigDecimal("92233720368547758.08")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void fromCentsHasScaleTwo() {
        assertThat(Money.fromCents(70_000_000_000_000L)).isEqualTo(new BigDecimal("700000000000.00"));
        assertThat(Money.fromCents(0).scale()).isEqualTo(2);
        assertThat(Money.fromCents(-5)).isEqualTo(new BigDecimal("-0.05"));
    }

    @Test
    void formatsPlainStrings() {
        assertThat(Money.format(70_000_000_000_000L)).isEqualTo("700000000000.00");
        assertThat(Money.format(70_000_000_123_456L)).isEqualTo("700000001234.56");
        assertThat(Money.format(0)).isEqualTo("0.00");
        assertThat(Money.format(7)).isEqualTo("0.07");
        assertThat(Money.format(-5)).isEqualTo("-0.05");
        assertThat(Money.format(-123_456)).isEqualTo("-1234.56");
        assertThat(Money.format(Long.MIN_VALUE)).isEqualTo("-92233720368547758.08");
        assertThat(Money.format(Long.MAX_VALUE)).isEqualTo("92233720368547758.07");
    }
}
