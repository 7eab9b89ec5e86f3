package io.exportcounter.notifier;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value (webhook signing secret, SMTP password). Its {@link #toString()} never shows the
 * value, so a secret that ends up in a log line or an exception message by mistake stays hidden.
 */
public final class Secret {
    private final String value;

    Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself: pass it to what needs it, never to a logger. */
    public String reveal() {
        return value;
    }

    byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "(secret)";
    }
}
