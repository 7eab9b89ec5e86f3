package io.exportcounter.contract.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} in a configuration value, replaced by the environment variable {@code NAME}: how
 * the configuration files keep secrets out of themselves (and out of version control).
 */
public final class EnvironmentReferences {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvironmentReferences() {
    }

    /**
     * {@code raw} with every {@code ${env:NAME}} replaced by {@code env.apply(NAME)}.
     *
     * @param unset makes the exception thrown when a variable is not set; it is given the variable's
     *     name (never a value), so the message can name the key and the variable
     */
    public static String resolve(String raw, Function<String, String> env,
            Function<String, ? extends RuntimeException> unset) {
        if (raw == null || !raw.contains("${")) {
            return raw;
        }
        Matcher m = ENV.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                throw unset.apply(m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
