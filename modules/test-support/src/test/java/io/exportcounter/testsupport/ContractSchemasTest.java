package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Total;
import io.exportcounter.contract.schema.RecordSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ContractSchemasTest {
    private static final byte[] TOTAL = ContractJson.instance().write(new Total("2025", Dimension.NATIONAL, "KR",
            new BigDecimal("700000001234.56"), 123_456, OffsetDateTime.of(2025, 12, 29, 13, 3, 27, 0, ZoneOffset.ofHours(9)),
            96_000L));

    @Test
    void findsTheSchemaOfEveryOutputTopicByTheEndOfItsName() {
        assertThat(ContractSchemas.forTopic("export.totals")).contains(RecordSchema.TOTAL);
        assertThat(ContractSchemas.forTopic("e2e.milestones")).contains(RecordSchema.MILESTONE);
        assertThat(ContractSchemas.forTopic("export.declarations.rejected")).contains(RecordSchema.REJECTION);
        assertThat(ContractSchemas.forTopic("export.forecasts")).contains(RecordSchema.FORECAST);
        assertThat(ContractSchemas.forTopic("export.notifications.delivered")).contains(RecordSchema.NOTIFICATION_DELIVERED);
        assertThat(ContractSchemas.forTopic("t3.dead")).contains(RecordSchema.NOTIFICATION_DEAD_LETTER);
        assertThat(ContractSchemas.forTopic("customs.export-declarations")).isEmpty();
        assertThat(ContractSchemas.forTopic("export-counter.stage-one-pace")).isEmpty();
        for (RecordSchema s : RecordSchema.values()) {
            s.defaultTopic().filter(t -> !t.startsWith("customs."))
                    .ifPresent(t -> assertThat(ContractSchemas.forTopic(t)).as(t).contains(s));
        }
    }

    @Test
    void aValidRecordPasses() {
        assertThatCode(() -> ContractSchemas.assertValid(record("export.totals", TOTAL))).doesNotThrowAnyException();
        assertThat(ContractSchemas.violations(RecordSchema.TOTAL, TOTAL)).isEmpty();
    }

    @Test
    void aRecordThatBreaksItsSchemaFailsNamingTheRecordAndEveryViolation() {
        byte[] renamed = new String(TOTAL, StandardCharsets.UTF_8).replace("\"totalUsd\"", "\"totalUSD\"")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ContractSchemas.assertValid(record("e2e.totals", renamed)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("e2e.totals-0@42 (key 2025|NATIONAL|KR) is not a valid TOTAL (total.schema.json)")
                .hasMessageContaining("2 violations")
                .hasMessageContaining("totalUsd")
                .hasMessageContaining("totalUSD")
                .hasMessageContaining("record: {\"period\":\"2025\"");
    }

    @Test
    void aMilestoneOnTheTotalsTopicFails() {
        byte[] milestone = ("{\"milestoneId\":\"2025|NATIONAL|KR|700000000000\",\"kind\":\"THRESHOLD\",\"type\":\"CROSSED\","
                + "\"period\":\"2025\",\"dimension\":\"NATIONAL\",\"member\":\"KR\",\"thresholdUsd\":\"700000000000.00\","
                + "\"totalUsd\":\"700000001234.56\",\"crossedAt\":\"2025-12-29T13:03:27+09:00\",\"crossedAtLocalTime\":\"1:03 p.m.\","
                + "\"declarationId\":\"43210-25-0123456X\",\"detectedAt\":\"2025-12-29T04:03:27.412Z\",\"provisional\":true}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(ContractSchemas.violations(RecordSchema.MILESTONE, milestone)).isEmpty();
        assertThatThrownBy(() -> ContractSchemas.assertValid(record("export.totals", milestone)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not a valid TOTAL");
    }

    @Test
    void bytesThatAreNotOneJsonTextFail() {
        String total = new String(TOTAL, StandardCharsets.UTF_8);

        assertThat(ContractSchemas.violations(RecordSchema.TOTAL, (total.replace("}", ",\"member\":\"KR\"}"))
                .getBytes(StandardCharsets.UTF_8))).singleElement().asString().contains("Duplicate field 'member'");
        assertThat(ContractSchemas.violations(RecordSchema.TOTAL, (total + total).getBytes(StandardCharsets.UTF_8)))
                .singleElement().asString().startsWith("not one JSON text");
        assertThat(ContractSchemas.violations(RecordSchema.TOTAL, new byte[] {'"', (byte) 0xFF, '"'}))
                .containsExactly("not UTF-8");
        assertThat(ContractSchemas.violations(RecordSchema.TOTAL, new byte[0])).containsExactly("not one JSON text: empty");
    }

    @Test
    void onlyTheDeliveryRecordsMayHaveTombstones() {
        assertThatCode(() -> ContractSchemas.assertValid(record("export.notifications.delivered", null)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ContractSchemas.assertValid(record("export.totals", null)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("has no value");
    }

    @Test
    void recordsOfOtherTopicsAreNotChecked() {
        assertThatCode(() -> ContractSchemas.assertValid(record("customs.export-declarations", "not json".getBytes(
                StandardCharsets.UTF_8)))).doesNotThrowAnyException();
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 42, "2025|NATIONAL|KR", value);
    }
}
