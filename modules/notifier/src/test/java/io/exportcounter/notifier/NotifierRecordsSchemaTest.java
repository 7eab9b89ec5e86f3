package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.testsupport.ContractSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the notifier writes (delivery records, dead letters, outbox lines, webhook bodies) is valid against its schema. */
class NotifierRecordsSchemaTest {
    private static final Instant AT = Instant.parse("2025-12-29T04:03:28.001Z");
    private final Notices notices = Notices.load(NotifierConfig.defaults());

    private List<Delivery> deliveries() {
        Milestone crossed = Milestones.korea700BFirstTime();
        Milestone calendarMonth = Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-11", "60400000000.00",
                "60800000000.00", "2025-11-30T18:52:00+09:00", Milestones.story("2021-11", "2018", 6));
        return List.of(
                Delivery.of(crossed, notices.write(crossed)),
                Delivery.of(Milestones.retracted(crossed, "699999999999.99", "2025-12-30T09:00:00+09:00", AT),
                        notices.write(Milestones.retracted(crossed, "699999999999.99", "2025-12-30T09:00:00+09:00", AT))),
                Delivery.of(calendarMonth, notices.write(calendarMonth)));
    }

    @Test
    void deliveryRecordsAreValid() {
        for (Delivery d : deliveries()) {
            ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DELIVERED, Json.ledgerValue(d, "webhook", "DELIVERED", 1, AT));
            ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DELIVERED, Json.ledgerValue(d, "email", "DEAD_LETTERED", 5, AT));
        }
    }

    @Test
    void deadLettersAreValidForAGivenUpNoticeAndForAnUnreadableRecord() {
        for (Delivery d : deliveries()) {
            ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DEAD_LETTER,
                    Json.deadLetter(d, "webhook", "HTTP 400 Bad Request", 1, AT, "export.milestones", 0, 17, null));
        }
        ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DEAD_LETTER, Json.deadLetter(null, null,
                "not a valid milestone: kind must be THRESHOLD or MONTHLY_RECORD", 0, AT, "export.milestones", 0, 18, "{\"kind\":1}"));
        ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DEAD_LETTER, Json.deadLetter(null, null,
                "not a valid milestone: record has no value (null)", 0, AT, "export.milestones", 0, 19, null));
    }

    @Test
    void aDeadLetterMixingTheTwoFormsIsNot() {
        byte[] mixed = Json.deadLetter(deliveries().get(0), "webhook", "gave up", 0, AT, "export.milestones", 0, 17, "text");

        assertThat(ContractSchemas.violations(RecordSchema.NOTIFICATION_DEAD_LETTER, mixed)).isNotEmpty();
    }

    @Test
    void outboxLinesAndWebhookBodiesAreValid() {
        for (Delivery d : deliveries()) {
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, Json.outboxLine(d, AT));
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_WEBHOOK_BODY, Json.webhookBody(d));
        }
        String line = new String(Json.outboxLine(deliveries().get(0), AT), StandardCharsets.UTF_8);
        assertThat(ContractSchemas.violations(RecordSchema.NOTIFIER_WEBHOOK_BODY, line.getBytes(StandardCharsets.UTF_8)))
                .as("an outbox line is not a webhook body").isNotEmpty();
    }

    private List<HeadsUpDelivery> headsUps() {
        io.exportcounter.contract.Forecast f = Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00");
        java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2025-11-20T10:05:00+09:00");
        io.exportcounter.contract.Forecast sparse = Forecasts.forecast(io.exportcounter.contract.Dimension.EXPORTER_SIZE, "SME",
                "2025-11-19T17:00:00+09:00", List.of(Forecasts.threshold("120000000000.00", at, null, null, null)));
        HeadsUp h = new HeadsUp(f, f.thresholds().get(0));
        HeadsUp s = new HeadsUp(sparse, sparse.thresholds().get(0));
        return List.of(HeadsUpDelivery.of(h, notices.write(h), AT), HeadsUpDelivery.of(s, notices.write(s), AT));
    }

    @Test
    void what_the_notifier_writes_for_a_heads_up_is_valid_and_is_not_a_milestone_notice() {
        for (HeadsUpDelivery d : headsUps()) {
            ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DELIVERED, Json.ledgerValue(d, "webhook", "DELIVERED", 1, AT));
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, Json.outboxLine(d, AT));
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_WEBHOOK_BODY, Json.webhookBody(d));
            ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DEAD_LETTER,
                    Json.deadLetter(d, "email", "550 mailbox unavailable", 1, AT, "export.forecasts", 0, 7, null));
        }
        String ledger = new String(Json.ledgerValue(headsUps().get(0), "outbox", "DELIVERED", 1, AT), StandardCharsets.UTF_8);
        assertThat(ledger).contains("\"milestoneId\":\"2025|NATIONAL|KR|700000000000\"").contains("\"type\":\"APPROACHING\"");
        // A body with both a milestone and a forecast, or a forecast without its threshold, is neither.
        String body = new String(Json.webhookBody(headsUps().get(0)), StandardCharsets.UTF_8);
        String milestone = new String(Json.webhookBody(deliveries().get(0)), StandardCharsets.UTF_8);
        String both = body.replace("{\"forecast\":", milestone.substring(0, milestone.indexOf(",\"notice\":")) + ",\"forecast\":");
        assertThat(ContractSchemas.violations(RecordSchema.NOTIFIER_WEBHOOK_BODY, both.getBytes(StandardCharsets.UTF_8))).isNotEmpty();
        String noThreshold = body.replaceAll(",\"thresholdUsd\":\"[0-9.]+\"", "");
        assertThat(ContractSchemas.violations(RecordSchema.NOTIFIER_WEBHOOK_BODY, noThreshold.getBytes(StandardCharsets.UTF_8)))
                .isNotEmpty();
        // An unreadable forecast record is dead-lettered in the unreadable form
        ContractSchemas.assertValid(RecordSchema.NOTIFICATION_DEAD_LETTER, Json.deadLetter(null, null,
                "not a valid forecast: year must be four digits", 0, AT, "export.forecasts", 0, 8, "{\"year\":\"25\"}"));
    }
}
