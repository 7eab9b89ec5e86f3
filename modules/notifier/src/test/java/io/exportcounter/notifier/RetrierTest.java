package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private final Delivery delivery = Delivery.of(Milestones.korea700B(),
            Notices.load(NotifierConfig.defaults()).write(Milestones.korea700B()));

    /** A channel answering from a script; the last answer repeats. */
    static final class Scripted implements Channel {
        final Deque<Attempt> script;
        final AtomicInteger calls = new AtomicInteger();

        Scripted(Attempt... answers) {
            script = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Attempt attempt(Delivery d) {
            calls.incrementAndGet();
            return script.size() > 1 ? script.poll() : script.peek();
        }
    }

    @Test
    void retryable_failures_are_retried_until_delivered() throws Exception {
        Scripted c = new Scripted(Attempt.retryable("HTTP 503"), Attempt.retryable("timeout"), Attempt.delivered("HTTP 200"));

        Retrier.Outcome o = retrier("5", "PT0.01S").deliver(c, delivery);

        assertThat(o.last().delivered()).isTrue();
        assertThat(o.attempts()).isEqualTo(3);
    }

    @Test
    void a_permanent_failure_is_not_retried() throws Exception {
        Scripted c = new Scripted(Attempt.permanent("HTTP 400"));

        Retrier.Outcome o = retrier("5", "PT0.01S").deliver(c, delivery);

        assertThat(o.last().status()).isEqualTo(Attempt.Status.PERMANENT);
        assertThat(o.attempts()).isEqualTo(1);
    }

    @Test
    void after_the_last_attempt_the_last_failure_is_returned() throws Exception {
        Scripted c = new Scripted(Attempt.retryable("HTTP 503"));

        Retrier.Outcome o = retrier("4", "PT0.01S").deliver(c, delivery);

        assertThat(o.last().reason()).isEqualTo("HTTP 503");
        assertThat(o.attempts()).isEqualTo(4);
        assertThat(c.calls).hasValue(4);
    }

    @Test
    void a_retry_after_lengthens_the_wait_up_to_the_cap() throws Exception {
        Scripted c = new Scripted(Attempt.retryable("HTTP 429", Duration.ofSeconds(30)), Attempt.delivered("HTTP 200"));
        long start = System.nanoTime();

        retrier("3", "PT0.01S", "PT0.3S").deliver(c, delivery);

        // 30 s asked, capped at retry.max-backoff (0.3 s), far above the 10 ms backoff.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(280), Duration.ofSeconds(5));
    }

    @Test
    void stopping_during_a_wait_abandons_the_delivery() throws Exception {
        Scripted c = new Scripted(Attempt.retryable("HTTP 503"));
        Retrier r = retrier("5", "PT10S", "PT10S");
        Thread caller = Thread.currentThread();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        stopper.start();
        long start = System.nanoTime();

        assertThatThrownBy(() -> r.deliver(c, delivery)).isInstanceOf(InterruptedException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(c.calls).hasValue(1);
        Thread.interrupted();
        stopper.join();
    }

    private static Retrier retrier(String attempts, String backoff) {
        return retrier(attempts, backoff, "PT0.05S");
    }

    private static Retrier retrier(String attempts, String backoff, String max) {
        Properties p = new Properties();
        p.setProperty("retry.max-attempts", attempts);
        p.setProperty("retry.initial-backoff", backoff);
        p.setProperty("retry.max-backoff", max);
        return new Retrier(NotifierConfig.fromProperties(p));
    }
}
