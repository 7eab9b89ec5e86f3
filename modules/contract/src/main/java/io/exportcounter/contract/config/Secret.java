package io.exportcounter.contract.config;

import java.util.Objects;

/**
 * A secret setting (API token, webhook signing secret, SMTP password). Its {@link #toString()} never
 * shows the value, so a secret that ends up in a log line or an exception message by mistake stays
 * hidden.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    /** The secret itself: pass it to what needs it, never to a logger. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "(secret)";
    }
}
