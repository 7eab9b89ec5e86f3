package io.exportcounter.pipeline.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
    private Instant now = Instant.parse("2026-12-07T00:00:00Z");
    private final StreamThreadFailures failures = new StreamThreadFailures(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    /** As Kafka Streams reports a commit the broker refused: its own exception around the producer's. */
    private static StreamsException commitFailed(Exception cause) {
        return new StreamsException("Error encountered trying to commit a transaction [stream-thread [x-StreamThread-1]]", cause);
    }

    @Test
    void a_thread_whose_transaction_the_broker_had_already_ended_is_replaced() {
        assertThat(failures.responseTo(commitFailed(new InvalidTxnStateException("The producer attempted a transactional"
                + " operation in an invalid state.")))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.responseTo(commitFailed(new ProducerFencedException("fenced"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.responseTo(new StreamsException(commitFailed(new InvalidProducerEpochException("old epoch")))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void any_other_failure_shuts_the_instance_down() {
        assertThat(failures.responseTo(new StreamsException("a store failed", new SerializationException("bad bytes"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.responseTo(new IllegalStateException("a bug")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void a_thread_fenced_again_and_again_shuts_the_instance_down_until_the_window_has_passed() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.responseTo(commitFailed(new InvalidTxnStateException("again"))))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now = now.plusSeconds(60);
        }
        assertThat(failures.responseTo(commitFailed(new InvalidTxnStateException("once too often"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        now = now.plus(StreamThreadFailures.WINDOW);
        assertThat(failures.responseTo(commitFailed(new InvalidTxnStateException("much later"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
