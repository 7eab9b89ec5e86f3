package io.exportcounter.notifier;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record and waits until every in-sync replica has it ({@code acks=all}). A failed write is
 * retried (the producer already retried within {@code delivery.timeout.ms}) until it succeeds or the
 * notifier stops: a delivery that happened must be recorded, or the next start would repeat it.
 */
final class DurableWriter {
    private static final Logger log = LoggerFactory.getLogger(DurableWriter.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final BooleanSupplier stopping;

    DurableWriter(Producer<String, byte[]> producer, BooleanSupplier stopping) {
        this.producer = producer;
        this.stopping = stopping;
    }

    /** True once {@code record} is durable; false if the notifier stopped before it could be written. */
    boolean write(ProducerRecord<String, byte[]> record) {
        long pauseMs = 500;
        while (true) {
            try {
                producer.send(record).get();
                return true;
            } catch (ExecutionException e) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                log.warn("Cannot write {} to {}: {}; trying again in {} ms", record.key(), record.topic(),
                        e.getCause() == null ? e.toString() : e.getCause().toString(), pauseMs);
            } catch (InterruptedException e) {
                // Only the channel attempts are interruptible (see Notifier); keep the flag for the caller.
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pauseMs = Math.min(pauseMs * 2, MAX_PAUSE.toMillis());
        }
    }
}
