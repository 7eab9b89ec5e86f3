package io.exportcounter.pipeline.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class ProcessingHandlerTest {
    private final RejectingExceptionHandlers.Processing handler = new RejectingExceptionHandlers.Processing();

    ProcessingHandlerTest() {
        handler.configure(Map.of(RejectingExceptionHandlers.REJECTED_TOPIC_CONFIG, "rejected",
                RejectingExceptionHandlers.INPUT_TOPICS_CONFIG, "declarations,rates"));
    }

    private static ErrorHandlerContext context(String topic) {
        return new ErrorHandlerContext() {
            public String topic() {
                return topic;
            }

            public int partition() {
                return topic == null ? -1 : 3;
            }

            public long offset() {
                return topic == null ? -1 : 42;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return "declaration-ledger";
            }

            public TaskId taskId() {
                return new TaskId(2, 3);
            }

            public long timestamp() {
                return 0;
            }

            public byte[] sourceRawKey() {
                return topic == null ? null : "k".getBytes(StandardCharsets.UTF_8);
            }

            public byte[] sourceRawValue() {
                return topic == null ? null : "v".getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    @Test
    void an_input_record_that_failed_is_rejected_and_processing_goes_on() {
        ProcessingExceptionHandler.Response r = handler.handleError(context("declarations"), new Record<>("k", "v", 0),
                new IllegalStateException("boom"));
        assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(r.deadLetterQueueRecords()).singleElement().satisfies(p -> assertThat(p.topic()).isEqualTo("rejected"));
    }

    @Test
    void a_failure_on_internal_data_or_in_a_punctuation_stops_the_task_instead_of_failing_in_the_handler() {
        assertThat(handler.handleError(context("app-country-changes-repartition"), null, new IllegalStateException("boom"))
                .result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        // A punctuation has no topic: the handler used to throw a NullPointerException of its own here.
        assertThat(handler.handleError(context(null), null, new NullPointerException()).result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }
}
