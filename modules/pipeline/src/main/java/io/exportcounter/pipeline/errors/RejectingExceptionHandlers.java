package io.exportcounter.pipeline.errors;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Rejections;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safety nets: input records are validated inside the processors and rejected there, so these run
 * only for failures nobody foresaw. Either way the record is not lost and does not stop the app: it
 * goes to the rejected topic, as a contract Rejection in the same transaction, and processing goes on.
 */
public final class RejectingExceptionHandlers {
    /** Streams config key naming the rejected topic, set by the pipeline. */
    public static final String REJECTED_TOPIC_CONFIG = "export-counter.rejected.topic";
    /** Streams config key listing (comma-separated) the input topics whose records may be rejected. */
    public static final String INPUT_TOPICS_CONFIG = "export-counter.input.topics";

    private static final Logger log = LoggerFactory.getLogger(RejectingExceptionHandlers.class);

    private RejectingExceptionHandlers() {
    }

    static ProducerRecord<byte[], byte[]> rejection(String rejectedTopic, ErrorHandlerContext ctx, String reason) {
        byte[] key = ctx.sourceRawKey();
        byte[] value = ctx.sourceRawValue();
        var r = Rejections.of(new InvalidRecordException(null, reason), ctx.topic(), ctx.partition(), ctx.offset(),
                key, value, Instant.now());
        return new ProducerRecord<>(rejectedTopic, null, key, ContractJson.instance().write(r));
    }

    static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String topic(Map<String, ?> configs) {
        Object t = configs.get(REJECTED_TOPIC_CONFIG);
        return t == null ? "export.declarations.rejected" : t.toString();
    }

    /** A record a source could not deserialize. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private String rejectedTopic;

        @Override
        public void configure(Map<String, ?> configs) {
            rejectedTopic = topic(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
            log.warn("Rejected undeserializable record {}-{}@{}: {}", ctx.topic(), ctx.partition(), ctx.offset(), describe(e));
            return Response.resume(List.of(rejection(rejectedTopic, ctx, "could not be deserialized: " + describe(e))));
        }
    }

    /**
     * A processor threw while handling a record. An input record is rejected and processing goes on;
     * a failure on the pipeline's own internal data (a change batch) stops the task instead, because
     * skipping a batch would make every total silently wrong.
     */
    public static final class Processing implements ProcessingExceptionHandler {
        private String rejectedTopic;
        private List<String> inputTopics = List.of();

        @Override
        public void configure(Map<String, ?> configs) {
            rejectedTopic = topic(configs);
            Object inputs = configs.get(INPUT_TOPICS_CONFIG);
            if (inputs != null) {
                inputTopics = List.of(inputs.toString().split(","));
            }
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
            if (ctx.topic() == null) {
                // A punctuation (stage 1's flush, stage 2's round) has no record to reject.
                log.error("Processing failed in {} outside any input record (a punctuation); stopping: {}",
                        ctx.processorNodeId(), describe(e));
                return Response.fail();
            }
            if (!inputTopics.contains(ctx.topic())) {
                log.error("Processing failed in {} on internal record {}-{}@{}; stopping rather than skipping it: {}",
                        ctx.processorNodeId(), ctx.topic(), ctx.partition(), ctx.offset(), describe(e));
                return Response.fail();
            }
            log.error("Processing failed in {} for record {}-{}@{}; sent to {}: {}", ctx.processorNodeId(),
                    ctx.topic(), ctx.partition(), ctx.offset(), rejectedTopic, describe(e));
            return Response.resume(List.of(rejection(rejectedTopic, ctx, "processing failed: " + describe(e))));
        }
    }
}
