package io.exportcounter.notifier;

/**
 * A way of delivering notices. A channel makes single attempts; retries, delivery records and dead
 * letters are the notifier's. Expected failures are returned as an {@link Attempt}, not thrown.
 */
public interface Channel extends AutoCloseable {

    /**
     * The channel's name in delivery keys, dead letters and logs: {@code webhook}, {@code email},
     * {@code alertmanager}, {@code outbox}.
     */
    String name();

    /** Called once before the first delivery. */
    default void open() throws java.io.IOException {
    }

    /**
     * One attempt to deliver {@code d}.
     *
     * @throws InterruptedException when the notifier is stopping; nothing is recorded then
     */
    Attempt attempt(Delivery d) throws InterruptedException;

    @Override
    default void close() {
    }
}
