package io.exportcounter.contract.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigKeysTest {

    /** The caller's own exception type, naming the key, as PipelineConfigException and NotifierConfigException do. */
    static final class KeyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String key;

        KeyException(String key, String problem) {
            super("config key '" + key + "': " + problem);
            this.key = key;
        }
    }

    private static final Map<String, String> ENV = Map.of("EC_TOKEN", "abcdefghijklmnopqrstuvwxyz012345", "EC_PORT", "8443");

    /** The secret pattern of the bad-value cases: empty, or 16 letters or more. */
    private static final String LONG = "(?:[A-Za-z0-9]{16,})?";

    private static ConfigKeys keys(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new ConfigKeys(values, KeyException::new, ENV::get);
    }

    @Test
    void readsTypedValuesWithEnvironmentReferencesResolved() {
        ConfigKeys k = keys("text", "x-${env:EC_PORT}-y", "port", "${env:EC_PORT}", "ratio", "1e1", "topic", "export.totals",
                "rf", "-1", "on", "TrUe", "off", "FALSE", "zone", "Asia/Seoul", "wait", "P7D", "token", "${env:EC_TOKEN}",
                "empty", "");
        assertThat(k.string("text")).isEqualTo("x-8443-y");
        assertThat(k.required("text", "always")).isEqualTo("x-8443-y");
        assertThat(k.requireMatch("port", "[0-9]+", "digits")).isEqualTo("8443");
        assertThat(k.intIn("port", 1, 65_535)).isEqualTo(8443);
        assertThat(k.doubleIn("ratio", 1.0, 10.0)).isEqualTo(10.0);
        assertThat(k.topicName("topic")).isEqualTo("export.totals");
        assertThat(k.replicationFactor("rf")).isEqualTo((short) -1);
        assertThat(k.bool("on")).isTrue();
        assertThat(k.bool("off")).isFalse();
        assertThat(k.zone("zone")).isEqualTo(ZoneId.of("Asia/Seoul"));
        assertThat(k.positiveDuration("wait", "P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(k.secret("token").reveal()).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
        assertThat(k.secret("token", LONG, "long").reveal()).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
        assertThat(k.secret("empty").isEmpty()).isTrue();
        assertThat(k.secret("empty", LONG, "long").isEmpty()).isTrue();
        assertThat(k.resolve("kafka.bootstrap.servers", "host:${env:EC_PORT}")).isEqualTo("host:8443");
        assertThat(k.resolve("kafka.bootstrap.servers", null)).isNull();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("", k -> k.required("x", "email.enabled=true"), "is required when email.enabled=true"),
                bad("${env:EC_MISSING}", k -> k.string("x"), "environment variable EC_MISSING is not set"),
                bad("kr", k -> k.requireMatch("x", "[A-Z]{2}", "a code"), "must be a code, was 'kr'"),
                bad("no spaces", k -> k.topicName("x"), "must be a valid Kafka topic name, was 'no spaces'"),
                bad("0", k -> k.intIn("x", 1, 10), "must be between 1 and 10, was 0"),
                bad("abc", k -> k.intIn("x", 1, 10), "must be a whole number, was 'abc'"),
                bad("99999999999", k -> k.intIn("x", 1, 10), "must be a whole number, was '99999999999'"),
                bad("10.5", k -> k.doubleIn("x", 1.0, 10.0), "must be between 1.0 and 10.0, was 10.5"),
                bad("NaN", k -> k.doubleIn("x", 1.0, 10.0), "must be between 1.0 and 10.0, was NaN"),
                bad("two", k -> k.doubleIn("x", 1.0, 10.0), "must be a number, was 'two'"),
                bad("0", k -> k.replicationFactor("x"), "must be -1 (broker default) or at least 1"),
                bad("-2", k -> k.replicationFactor("x"), "must be between -1 and 32767, was -2"),
                bad("yes", k -> k.bool("x"), "must be true or false, was 'yes'"),
                bad("Mars/Base", k -> k.zone("x"), "must be a time-zone id such as Asia/Seoul, was 'Mars/Base'"),
                bad("PT0S", k -> k.positiveDuration("x", "P7D"), "must be positive, was PT0S"),
                bad("-PT1S", k -> k.positiveDuration("x", "P7D"), "must be positive, was -PT1S"),
                bad("7 days", k -> k.positiveDuration("x", "PT10S"),
                        "must be an ISO-8601 duration such as PT10S, was '7 days'"),
                bad("${env:EC_MISSING}", k -> k.secret("x"), "environment variable EC_MISSING is not set"),
                bad("hunter2", k -> k.secret("x", LONG, "empty or 16 letters or more"),
                        "must be empty or 16 letters or more; the value given is not shown"));
    }

    private static Arguments bad(String value, Function<ConfigKeys, Object> read, String problem) {
        return Arguments.of(value, read, problem);
    }

    @ParameterizedTest(name = "''{0}'': {2}")
    @MethodSource("badValues")
    void aBadValueIsTheCallersExceptionNamingTheKey(String value, Function<ConfigKeys, Object> read, String problem) {
        assertThatThrownBy(() -> read.apply(keys("x", value)))
                .isInstanceOfSatisfying(KeyException.class, e -> assertThat(e.key).isEqualTo("x"))
                .hasMessage("config key 'x': " + problem);
    }

    @Test
    void aSecretIsNeverShownNorAVariablesValue() {
        ConfigKeys k = keys("short", "hunter2", "refers", "${env:EC_TOKEN}x");
        assertThatThrownBy(() -> k.secret("short", LONG, "long")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> k.secret("refers", "[A-Z]+", "upper case"))
                .hasMessageNotContaining("abcdefghijklmnopqrstuvwxyz012345").hasMessageNotContaining("EC_TOKEN");
    }

    @Test
    void anUnsetVariableInAPassThroughValueNamesItsKey() {
        assertThatThrownBy(() -> keys().resolve("kafka.sasl.jaas.config", "password=\"${env:EC_MISSING}\";"))
                .hasMessage("config key 'kafka.sasl.jaas.config': environment variable EC_MISSING is not set");
        assertThat(keys().error("c", "is wrong")).isInstanceOf(KeyException.class).hasMessage("config key 'c': is wrong");
    }

    @Test
    void optionalPathsAndFolders(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("table.csv"), "a,b\n");
        Path missing = dir.resolve("missing.csv");
        ConfigKeys k = keys("empty", "", "file", file.toString(), "folder", dir.toString(), "missing", missing.toString());
        assertThat(k.optionalPath("empty")).isNull();
        assertThat(k.optionalPath("file")).isEqualTo(file);
        assertThat(k.optionalPath("folder")).isEqualTo(dir);
        assertThat(k.optionalFolder("empty")).isNull();
        assertThat(k.optionalFolder("folder")).isEqualTo(dir);
        assertThatThrownBy(() -> k.optionalPath("missing"))
                .hasMessage("config key 'missing': file not found or not readable: " + missing.toAbsolutePath());
        assertThatThrownBy(() -> k.optionalFolder("file"))
                .hasMessage("config key 'file': not a folder: " + file.toAbsolutePath());
    }
}
