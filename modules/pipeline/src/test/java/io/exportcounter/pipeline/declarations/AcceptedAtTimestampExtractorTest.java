package io.exportcounter.pipeline.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.testsupport.Decl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AcceptedAtTimestampExtractorTest {
    private static final String VALID = Decl.accept("43210-25-0000001X").at("2025-12-29T13:03:27+09:00").json();
    private final AcceptedAtTimestampExtractor extractor = new AcceptedAtTimestampExtractor();

    /** As Kafka Streams calls it: after the source's deserializer. */
    private long extract(String value, long recordTimestamp, long partitionTime) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        DeclarationInput input = DeclarationInput.serde().deserializer().deserialize("t", bytes);
        ConsumerRecord<Object, Object> r = new ConsumerRecord<>("t", 0, 0, recordTimestamp,
                TimestampType.CREATE_TIME, 0, 0, null, input, new RecordHeaders(), Optional.empty());
        return extractor.extract(r, partitionTime);
    }

    @Test
    void the_timestamp_is_accepted_at_from_the_one_parse_of_the_declaration() {
        assertThat(DeclarationInput.serde().deserializer().deserialize("t", VALID.getBytes(StandardCharsets.UTF_8)).error())
                .as("fixture is a valid declaration").isNull();
        assertThat(extract(VALID, 5, 7)).isEqualTo(Instant.parse("2025-12-29T04:03:27Z").toEpochMilli());
    }

    @Test
    void without_a_usable_accepted_at_the_record_keeps_its_own_time_or_the_partition_time_never_a_negative_one() {
        assertThat(extract("{\"declarationId\":\"43210-25-0000001X\",\"revision\":1,\"action\":\"CANCEL\"}", 5, 7)).isEqualTo(5);
        assertThat(extract(VALID.replace("2025-12-29T13:03:27+09:00", "29/12/2025 13:03"), 5, 7)).isEqualTo(5);
        assertThat(extract("{\"acceptedAt\":20251229}", -1, 7)).isEqualTo(7);
        assertThat(extract("not json", -1, -1)).isZero();
        assertThat(extract(null, -1, 3)).isEqualTo(3);
    }

    @Test
    void invalid_input_is_kept_with_its_bytes_and_reason_for_stage_1_to_reject() {
        DeclarationInput input = DeclarationInput.serde().deserializer().deserialize("t", "not json".getBytes(StandardCharsets.UTF_8));
        assertThat(input.declaration()).isNull();
        assertThat(input.error()).isNotNull();
        assertThat(new String(input.raw(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(DeclarationInput.serde().serializer().serialize("t", input)).isEqualTo(input.raw());
    }
}
