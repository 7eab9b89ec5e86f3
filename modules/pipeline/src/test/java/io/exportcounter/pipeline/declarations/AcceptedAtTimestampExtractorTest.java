package io.exportcounter.pipeline.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AcceptedAtTimestampExtractorTest {
    private final AcceptedAtTimestampExtractor extractor = new AcceptedAtTimestampExtractor();

    private long extract(String value, long recordTimestamp, long partitionTime) {
        ConsumerRecord<Object, Object> r = new ConsumerRecord<>("t", 0, 0, recordTimestamp,
                TimestampType.CREATE_TIME, 0, 0, null,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), Optional.empty());
        return extractor.extract(r, partitionTime);
    }

    @Test
    void the_timestamp_is_accepted_at_whatever_offset_it_is_written_in() {
        long expected = Instant.parse("2025-12-29T04:03:27Z").toEpochMilli();
        assertThat(extract("{\"declarationId\":\"A\",\"revision\":0,\"nested\":{\"acceptedAt\":\"1999-01-01T00:00:00Z\"},"
                + "\"acceptedAt\":\"2025-12-29T13:03:27+09:00\"}", 5, 7)).isEqualTo(expected);
        assertThat(extract("{\"acceptedAt\":\"2025-12-29T04:03:27.000Z\"}", 5, 7)).isEqualTo(expected);
    }

    @Test
    void without_a_usable_accepted_at_the_record_keeps_its_own_time_or_the_partition_time_never_a_negative_one() {
        assertThat(extract("{\"declarationId\":\"A\",\"revision\":1,\"action\":\"CANCEL\"}", 5, 7)).isEqualTo(5);
        assertThat(extract("{\"acceptedAt\":\"29/12/2025 13:03\"}", 5, 7)).isEqualTo(5);
        assertThat(extract("{\"acceptedAt\":20251229}", -1, 7)).isEqualTo(7);
        assertThat(extract("not json", -1, -1)).isZero();
        assertThat(extract(null, -1, 3)).isEqualTo(3);
    }
}
