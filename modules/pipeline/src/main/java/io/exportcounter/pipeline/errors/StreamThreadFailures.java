package io.exportcounter.pipeline.errors;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a pipeline instance does when one of its stream threads dies.
 *
 * <p>A thread whose transaction the broker has already ended is a zombie that woke up: the JVM was frozen (a long
 * GC pause, a suspended virtual machine) past the transaction timeout, the coordinator aborted its transaction and
 * bumped the producer epoch, and the group gave its tasks to another instance. Kafka Streams recovers by itself
 * when the broker says so with a fencing error; with transactions v2 the commit can instead fail with
 * {@link InvalidTxnStateException}, which Kafka Streams treats as fatal. Either way nothing of that transaction
 * counts, so the thread is replaced: the new one has a new producer, rejoins the group and takes up committed
 * state, exactly once as before. Anything else, and a thread fenced again and again (more than
 * {@link #MAX_REPLACEMENTS} times in {@link #WINDOW}), shuts the instance down.
 */
public final class StreamThreadFailures {
    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    public StreamThreadFailures(Clock clock) {
        this.clock = clock;
    }

    /** The response to a dead stream thread's exception; REPLACE_THREAD only for a fenced zombie, within the bound. */
    public synchronized StreamThreadExceptionResponse responseTo(Throwable e) {
        if (!fencedTransaction(e)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clock.millis();
        while (!replacements.isEmpty() && replacements.peekFirst() <= now - WINDOW.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Whether the cause chain says the broker had already ended this producer's transaction (it was fenced). */
    public static boolean fencedTransaction(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidTxnStateException || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** The deepest cause, for a one-line log. */
    public static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
