package io.exportcounter.notifier;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a notifier as a process: until SIGTERM/SIGINT, a {@code close()} or a fatal error. Used by the launcher. */
public final class NotifierRunner {
    private static final Logger log = LoggerFactory.getLogger(NotifierRunner.class);

    private NotifierRunner() {
    }

    /**
     * Starts a notifier with {@code config} and blocks until the JVM is asked to stop (SIGINT/SIGTERM:
     * a shutdown hook closes the notifier cleanly) or the notifier stops by itself after an error.
     *
     * @return the process exit code: 0 after a clean stop, 1 after a failure
     * @throws NotifierConfigException when the configuration or the templates are bad (before connecting)
     */
    public static int runUntilStopped(NotifierConfig config) throws InterruptedException {
        return runUntilStopped(new Notifier(config));
    }

    /**
     * Starts {@code notifier} (if not started) and blocks until SIGINT/SIGTERM, until another thread
     * calls {@code notifier.close()}, or until it stops after an error.
     *
     * @return 0 after a clean stop, 1 after a failure
     */
    public static int runUntilStopped(Notifier notifier) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("Stopping notifier");
            notifier.close();
            closed.countDown();
        }, "notifier-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            notifier.start();
        } catch (RuntimeException e) {
            log.error("Notifier cannot start: {}", e.getMessage());
            removeHook(hook, closed);
            notifier.close();
            return 1;
        }
        boolean failed = notifier.awaitStop();
        removeHook(hook, closed);
        return failed ? 1 : 0;
    }

    private static void removeHook(Thread hook, CountDownLatch closed) throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is stopping: let the hook finish closing the notifier before returning.
            closed.await();
        }
    }
}
