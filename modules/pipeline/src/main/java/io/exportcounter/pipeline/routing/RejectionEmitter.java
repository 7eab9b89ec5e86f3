package io.exportcounter.pipeline.routing;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Rejection;
import io.exportcounter.contract.Rejections;
import io.exportcounter.pipeline.metrics.PipelineStats;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Turns an invalid input record into a contract Rejection on the REJECTED route, keeping its key and bytes. */
public final class RejectionEmitter {
    private final ProcessorContext<byte[], Routed> context;
    private final String sourceTopic;
    private final PipelineStats stats;

    public RejectionEmitter(ProcessorContext<byte[], Routed> context, String sourceTopic) {
        this(context, sourceTopic, null);
    }

    public RejectionEmitter(ProcessorContext<byte[], Routed> context, String sourceTopic, PipelineStats stats) {
        this.context = context;
        this.sourceTopic = sourceTopic;
        this.stats = stats;
    }

    public void reject(Record<byte[], byte[]> record, InvalidRecordException why) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta != null && meta.topic() != null ? meta.topic() : sourceTopic;
        int partition = meta != null ? meta.partition() : -1;
        long offset = meta != null ? meta.offset() : -1L;
        long now = context.currentSystemTimeMs();
        Rejection r = Rejections.of(why, topic, partition, offset, record.key(), record.value(), Instant.ofEpochMilli(now));
        if (stats != null) {
            stats.rejected();
        }
        // Stamped with the time of rejection, not the declaration's acceptedAt: the rejected topic has
        // time-based retention, and a replay of last year would have its rejections deleted at once.
        context.forward(record.withValue(Routed.of(Routed.Route.REJECTED, ContractJson.instance().write(r))).withTimestamp(now));
    }
}
