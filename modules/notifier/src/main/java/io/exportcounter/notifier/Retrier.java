package io.exportcounter.notifier;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of one delivery (resilience4j Retry): up to {@code retry.max-attempts} attempts, waiting
 * {@code retry.initial-backoff × retry.multiplier^(n-1)} between them, capped at {@code retry.max-backoff}
 * and spread by ±{@code retry.jitter} so that many notifiers do not hammer a receiver in step. A
 * receiver's {@code Retry-After} lengthens the wait (up to the cap). Only {@link Attempt.Status#RETRYABLE}
 * results are retried; each failed attempt is one WARN line.
 */
final class Retrier {
    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    /** What came of a delivery: the last attempt and how many were made. */
    record Outcome(Attempt last, int attempts) {
    }

    private final RetryConfig config;
    private final int maxAttempts;
    private final Consumer<String> onRetry;

    Retrier(NotifierConfig c) {
        this(c, channel -> { });
    }

    /** As {@link #Retrier(NotifierConfig)}, telling {@code onRetry} the channel's name before each retry. */
    Retrier(NotifierConfig c, Consumer<String> onRetry) {
        this.onRetry = onRetry;
        this.maxAttempts = c.maxAttempts();
        long maxMs = c.maxBackoff().toMillis();
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(c.initialBackoff().toMillis(),
                c.backoffMultiplier(), c.jitter(), maxMs);
        IntervalBiFunction<Attempt> interval = (attempt, result) -> {
            long wait = backoff.apply(attempt);
            if (result.isRight() && result.get().retryAfter() != null) {
                wait = Math.max(wait, Math.min(result.get().retryAfter().toMillis(), maxMs));
            }
            return wait;
        };
        this.config = RetryConfig.<Attempt>custom()
                .maxAttempts(maxAttempts)
                .intervalBiFunction(interval)
                .retryOnResult(a -> a.status() == Attempt.Status.RETRYABLE)
                // Channels return expected failures; anything thrown (InterruptedException on stop) ends it.
                .retryOnException(e -> false)
                .failAfterMaxAttempts(false)
                .build();
    }

    /**
     * Delivers {@code d} on {@code channel}, retrying as configured.
     *
     * @throws InterruptedException when the notifier stops meanwhile: nothing was (knowingly) delivered
     */
    Outcome deliver(Channel channel, Delivery d) throws InterruptedException {
        Retry retry = Retry.of(channel.name() + " " + d.occurrenceKey(), config);
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Attempt> last = new AtomicReference<>();
        retry.getEventPublisher().onRetry(e -> {
            log.warn("{} delivery of {} failed (attempt {} of {}: {}); retrying in {} ms", channel.name(),
                    d.occurrenceKey(), e.getNumberOfRetryAttempts(), maxAttempts, last.get().reason(),
                    e.getWaitInterval().toMillis());
            onRetry.accept(channel.name());
        });
        CheckedSupplier<Attempt> once = () -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopping");
            }
            attempts.incrementAndGet();
            Attempt a = channel.attempt(d);
            last.set(a);
            return a;
        };
        try {
            Attempt result = Retry.decorateCheckedSupplier(retry, once).get();
            return new Outcome(result, attempts.get());
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            if (Thread.currentThread().isInterrupted() || hasInterruptCause(t)) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("stopping");
            }
            // A channel bug, not a delivery failure: report it as a permanent failure with its type.
            return new Outcome(Attempt.permanent("unexpected " + t), attempts.get());
        }
    }

    private static boolean hasInterruptCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
