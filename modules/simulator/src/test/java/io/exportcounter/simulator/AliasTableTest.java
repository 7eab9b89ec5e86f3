package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AliasTableTest {
    @Test
    void draws_in_proportion_to_the_weights() {
        AliasTable t = new AliasTable(new double[] {1, 2, 0, 7});
        Rng rng = new Rng(1);
        int[] counts = new int[4];
        for (int i = 0; i < 200_000; i++) {
            counts[t.sample(rng.nextDouble())]++;
        }
        assertThat(counts[0] / 200_000.0).isCloseTo(0.1, within(0.005));
        assertThat(counts[1] / 200_000.0).isCloseTo(0.2, within(0.005));
        assertThat(counts[2]).isZero();
        assertThat(counts[3] / 200_000.0).isCloseTo(0.7, within(0.005));
    }

    @Test
    void business_numbers_carry_the_national_tax_service_check_digit() {
        assertThat(Exporters.validBusinessNumber("1208147521")).isTrue(); // 120-81-47521
        assertThat(Exporters.validBusinessNumber("1208147522")).isFalse();
        Rng rng = new Rng(3);
        for (int i = 0; i < 1000; i++) {
            assertThat(Exporters.validBusinessNumber(Exporters.businessNumber(rng, i % 3))).isTrue();
        }
    }
}
