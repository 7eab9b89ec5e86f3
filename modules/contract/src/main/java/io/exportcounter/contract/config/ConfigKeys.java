package io.exportcounter.contract.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed reading of a configuration's own keys: each method reads one key's value, with every
 * {@code ${env:NAME}} resolved, checks it and returns it typed, or throws the configuration's own
 * exception naming the key. A secret's value is never part of a message; other values are quoted as
 * resolved.
 *
 * <p>A missing key reads as null, so every key read here must have a default in the map.
 */
public final class ConfigKeys {
    /** Kafka's legal topic names. */
    private static final String TOPIC_NAME = "[A-Za-z0-9._-]{1,249}";

    private final Map<String, String> values;
    private final BiFunction<String, String, ? extends RuntimeException> keyError;
    private final Function<String, String> env;

    /**
     * @param values the own keys with their values as written (read, never copied or changed)
     * @param keyError makes the exception for a bad key from the key and the problem, e.g.
     *     {@code PipelineConfigException::new}
     * @param env looks up an environment variable by name; null when it is not set
     */
    public ConfigKeys(Map<String, String> values, BiFunction<String, String, ? extends RuntimeException> keyError,
            Function<String, String> env) {
        this.values = Objects.requireNonNull(values, "values");
        this.keyError = Objects.requireNonNull(keyError, "keyError");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The exception for {@code key} with {@code problem}, made by the key-error factory. */
    public RuntimeException error(String key, String problem) {
        return keyError.apply(key, problem);
    }

    /** The key's value with {@code ${env:NAME}} resolved. */
    public String string(String key) {
        return resolve(key, values.get(key));
    }

    /**
     * {@code raw}, the value of {@code key} (which may be one not in the map, such as a pass-through
     * client setting), with {@code ${env:NAME}} resolved; null for null. An unset variable is an error
     * naming the key and the variable, never a value.
     */
    public String resolve(String key, String raw) {
        return EnvironmentReferences.resolve(raw, env,
                name -> error(key, "environment variable " + name + " is not set"));
    }

    /** The value, which must not be empty when {@code condition} (such as {@code email.enabled=true}) holds. */
    public String required(String key, String condition) {
        String v = string(key);
        if (v.isEmpty()) {
            throw error(key, "is required when " + condition);
        }
        return v;
    }

    /** The value, which must match {@code regex} entirely; {@code what} completes "must be …". */
    public String requireMatch(String key, String regex, String what) {
        String v = string(key);
        if (!v.matches(regex)) {
            throw error(key, "must be " + what + ", was '" + v + "'");
        }
        return v;
    }

    /** A Kafka topic name. */
    public String topicName(String key) {
        return requireMatch(key, TOPIC_NAME, "a valid Kafka topic name");
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public int intIn(String key, int min, int max) {
        String v = string(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw error(key, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, was '" + v + "'");
        }
    }

    /** A number from {@code min} to {@code max}, both included (never NaN). */
    public double doubleIn(String key, double min, double max) {
        String v = string(key);
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw error(key, "must be between " + min + " and " + max + ", was " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw error(key, "must be a number, was '" + v + "'");
        }
    }

    /** A Kafka replication factor: -1 for the broker's default, or from 1 to {@link Short#MAX_VALUE}. */
    public short replicationFactor(String key) {
        short factor = (short) intIn(key, -1, Short.MAX_VALUE);
        if (factor == 0) {
            throw error(key, "must be -1 (broker default) or at least 1");
        }
        return factor;
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean bool(String key) {
        String v = string(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw error(key, "must be true or false, was '" + v + "'");
        }
        return v.equalsIgnoreCase("true");
    }

    /** A time-zone id such as {@code Asia/Seoul}. */
    public ZoneId zone(String key) {
        String v = string(key);
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw error(key, "must be a time-zone id such as Asia/Seoul, was '" + v + "'");
        }
    }

    /** An ISO-8601 duration longer than zero; {@code example} (such as {@code P7D}) is named when it is not one. */
    public Duration positiveDuration(String key, String example) {
        String v = string(key);
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw error(key, "must be positive, was " + v);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw error(key, "must be an ISO-8601 duration such as " + example + ", was '" + v + "'");
        }
    }

    /** A path that can be read (a file or a folder), or null when the value is empty. */
    public Path optionalPath(String key) {
        return optionalPath(key, Files::isReadable, "file not found or not readable: ");
    }

    /** An existing folder, or null when the value is empty. */
    public Path optionalFolder(String key) {
        return optionalPath(key, Files::isDirectory, "not a folder: ");
    }

    private Path optionalPath(String key, Predicate<Path> usable, String problem) {
        String v = string(key);
        if (v.isEmpty()) {
            return null;
        }
        Path path = Path.of(v);
        if (!usable.test(path)) {
            throw error(key, problem + path.toAbsolutePath());
        }
        return path;
    }

    /** A secret, empty when the value is; never checked, so never shown. */
    public Secret secret(String key) {
        return Secret.of(string(key));
    }

    /**
     * A secret that must match {@code regex} entirely; {@code what} completes "must be …". The message
     * never shows the value given, not even when it is wrong.
     */
    public Secret secret(String key, String regex, String what) {
        String v = string(key);
        if (!v.matches(regex)) {
            throw error(key, "must be " + what + "; the value given is not shown");
        }
        return Secret.of(v);
    }
}
