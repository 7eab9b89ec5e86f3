package io.exportcounter.pipeline.declarations;

import io.exportcounter.contract.ExportDeclaration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps of declarations come from {@code acceptedAt}, the customs acceptance time.
 *
 * <p>Kafka Streams calls an extractor after the source's deserializer, so this one reads the
 * {@link DeclarationInput} that {@link DeclarationInput#serde()} made: the record is parsed once, for
 * the timestamp and stage 1 alike. A record without a usable {@code acceptedAt} (a CANCEL, or input
 * that stage 1 will reject) keeps its own timestamp, or the partition time; never a negative one,
 * which Kafka Streams would drop silently instead of letting stage 1 reject it.
 */
public final class AcceptedAtTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof DeclarationInput input) {
            ExportDeclaration d = input.declaration();
            if (d != null && d.acceptedAt() != null) {
                long millis = d.acceptedAt().toInstant().toEpochMilli();
                if (millis >= 0) {
                    return millis;
                }
            }
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0L);
    }
}
