package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test records built from raw JSON fragments, so a test can break exactly one field of a valid record. */
final class Fixtures {
    private Fixtures() {
    }

    /** CONTRACT.md section 2 example, compact. */
    static final String DECLARATION = "{\"declarationId\":\"43210-25-0123456X\",\"revision\":0,\"action\":\"ACCEPT\","
            + "\"acceptedAt\":\"2025-12-29T13:03:27+09:00\",\"exporterId\":\"1208812345\",\"exporterSize\":\"SME\","
            + "\"hsCode\":\"8542321010\",\"destination\":\"US\",\"currency\":\"USD\",\"fobAmount\":\"1250000.00\"}";

    /** CONTRACT.md section 3 example, compact. */
    static final String RATE = "{\"currency\":\"EUR\",\"krwPerUnit\":\"1523.45\",\"validFrom\":\"2025-12-28T00:00:00+09:00\"}";

    /** CONTRACT.md section 4 example, compact. */
    static final String TOTAL = "{\"period\":\"2025\",\"dimension\":\"CATEGORY\",\"member\":\"SEMICONDUCTORS\","
            + "\"totalUsd\":\"173456789012.34\",\"declarations\":123456,\"asOf\":\"2025-12-29T13:03:27+09:00\"}";

    /** CONTRACT.md section 5 example, compact. */
    static final String MILESTONE = "{\"milestoneId\":\"2025|NATIONAL|KR|700000000000\",\"kind\":\"THRESHOLD\","
            + "\"type\":\"CROSSED\",\"period\":\"2025\",\"dimension\":\"NATIONAL\",\"member\":\"KR\","
            + "\"thresholdUsd\":\"700000000000.00\",\"totalUsd\":\"700000001234.56\","
            + "\"crossedAt\":\"2025-12-29T13:03:27+09:00\",\"crossedAtLocalTime\":\"1:03 p.m.\","
            + "\"declarationId\":\"43210-25-0123456X\",\"detectedAt\":\"2025-12-29T04:03:27.412Z\",\"provisional\":true}";

    /** CONTRACT.md section 6 example, compact. */
    static final String REJECTION = "{\"reason\":\"fobAmount must be a positive decimal\",\"field\":\"fobAmount\","
            + "\"sourceTopic\":\"customs.export-declarations\",\"partition\":3,\"offset\":81723,"
            + "\"key\":\"43210-25-0123456X\",\"value\":\"{...the original record as text...}\",\"valueBase64\":null,"
            + "\"rejectedAt\":\"2025-12-29T04:03:27.412Z\"}";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Asserts that {@code parse} throws an {@link InvalidRecordException} naming {@code field} (null: the
     * record as a whole) with a reason containing {@code reasonFragment}, and returns it.
     */
    static InvalidRecordException assertRejected(String description, ThrowingCallable parse, String field,
            String reasonFragment) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, parse);

        assertThat(e).as("should be rejected: %s", description).isNotNull();
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        assertThat(e.reason()).contains(reasonFragment);
        return e;
    }

    static Obj declaration() {
        return new Obj()
                .put("declarationId", "\"43210-25-0123456X\"")
                .put("revision", "0")
                .put("action", "\"ACCEPT\"")
                .put("acceptedAt", "\"2025-12-29T13:03:27+09:00\"")
                .put("exporterId", "\"1208812345\"")
                .put("exporterSize", "\"SME\"")
                .put("hsCode", "\"8542321010\"")
                .put("destination", "\"US\"")
                .put("currency", "\"USD\"")
                .put("fobAmount", "\"1250000.00\"");
    }

    static Obj cancel() {
        return new Obj()
                .put("declarationId", "\"43210-25-0123456X\"")
                .put("revision", "3")
                .put("action", "\"CANCEL\"");
    }

    static Obj rate() {
        return new Obj()
                .put("currency", "\"EUR\"")
                .put("krwPerUnit", "\"1523.45\"")
                .put("validFrom", "\"2025-12-28T00:00:00+09:00\"");
    }

    /** An ordered JSON object of raw value fragments. */
    static final class Obj {
        private final Map<String, String> fields = new LinkedHashMap<>();
        private final StringBuilder extra = new StringBuilder();

        Obj put(String name, String rawJson) {
            fields.put(name, rawJson);
            return this;
        }

        /** Sets a field to a JSON string; the text must not need escaping. */
        Obj str(String name, String value) {
            return put(name, "\"" + value + "\"");
        }

        Obj without(String name) {
            fields.remove(name);
            return this;
        }

        /** Appends a second occurrence of a field (or any raw member) after the others. */
        Obj append(String name, String rawJson) {
            extra.append(",\"").append(name).append("\":").append(rawJson);
            return this;
        }

        /**
         * One edit as a table of cases names it: {@code put} (the raw JSON value), {@code without} or
         * {@code append} (a second occurrence).
         */
        Obj edit(String edit, String name, String rawJson) {
            return switch (edit) {
                case "put" -> put(name, rawJson);
                case "without" -> without(name);
                case "append" -> append(name, rawJson);
                default -> throw new IllegalArgumentException("unknown edit: " + edit);
            };
        }

        String json() {
            StringBuilder sb = new StringBuilder("{");
            fields.forEach((k, v) -> {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append('"').append(k).append("\":").append(v);
            });
            if (extra.length() > 0) {
                sb.append(fields.isEmpty() ? extra.substring(1) : extra);
            }
            return sb.append('}').toString();
        }

        byte[] bytes() {
            return utf8(json());
        }

        @Override
        public String toString() {
            return json();
        }
    }
}
