package io.exportcounter.contract;

import java.math.BigDecimal;

/**
 * Exact USD arithmetic helpers. Sums are kept as whole cents in a {@code long} (exact, cheap, and
 * 92 quadrillion dollars of headroom); {@code double} is never used for money.
 */
public final class Money {
    private Money() {
    }

    /**
     * Whole cents of {@code usd}.
     *
     * @throws ArithmeticException if {@code usd} has a non-zero digit below the cent, or does not fit a long
     */
    public static long toCents(BigDecimal usd) {
        // longValueExact throws when a fraction of a cent would be dropped or the value overflows.
        return usd.movePointRight(2).longValueExact();
    }

    /** {@code cents} as USD with scale 2. */
    public static BigDecimal fromCents(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** {@code cents} as the contract's money string: {@code "700000000000.00"}, {@code "-0.05"}. */
    public static String format(long cents) {
        return fromCents(cents).toPlainString();
    }
}
