package io.exportcounter.pipeline.declarations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.exportcounter.contract.ContractJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps of declarations come from {@code acceptedAt}, the customs acceptance time.
 *
 * <p>Scans only as far as the top-level {@code acceptedAt} field, without building the record: full
 * validation happens once, in stage 1. A record without a usable {@code acceptedAt} (a CANCEL, or
 * garbage that stage 1 will reject) keeps its own timestamp, or the partition time; never a negative
 * one, which Kafka Streams would drop silently instead of letting stage 1 reject it.
 */
public final class AcceptedAtTimestampExtractor implements TimestampExtractor {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long fromValue = acceptedAtMillis(record.value());
        if (fromValue >= 0) {
            return fromValue;
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0L);
    }

    static long acceptedAtMillis(Object value) {
        if (!(value instanceof byte[] bytes)) {
            return -1;
        }
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("acceptedAt".equals(name)) {
                    return v == JsonToken.VALUE_STRING ? ContractJson.parseDateTime(p.getText()).toInstant().toEpochMilli() : -1;
                }
                p.skipChildren();
            }
            return -1;
        } catch (Exception e) {
            // Malformed input is stage 1's to reject; here it only means "no timestamp in the value".
            return -1;
        }
    }
}
