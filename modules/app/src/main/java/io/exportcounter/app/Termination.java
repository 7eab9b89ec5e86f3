package io.exportcounter.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a long-running command (a broker, a pipeline) should stop: on SIGINT (Ctrl-C) or SIGTERM
 * for the CLI, or when {@link #request()} is called (tests, embedding).
 *
 * <p>The command blocks in {@link #await()}, then closes what it started and returns normally, so
 * the process exits with the command's code (0). A second Ctrl-C while stopping forces the exit.
 * If the JVM's signals cannot be handled (e.g. {@code -Xrs}), a shutdown hook requests the stop
 * and waits for the command to finish.
 */
public final class Termination {

    private static final Logger LOG = LoggerFactory.getLogger(Termination.class);
    private static final Duration SHUTDOWN_HOOK_WAIT = Duration.ofSeconds(30);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();

    private Termination() {
    }

    /** Stops only when {@link #request()} is called. */
    public static Termination manual() {
        return new Termination();
    }

    /** Stops on SIGINT/SIGTERM (and, as a fallback, on JVM shutdown). */
    public static Termination onSignals() {
        Termination termination = new Termination();
        boolean handled = handle("INT", termination) & handle("TERM", termination);
        Thread hook = new Thread(() -> {
            termination.request();
            termination.awaitFinished(SHUTDOWN_HOOK_WAIT);
        }, "export-counter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.debug("Termination on signals installed (signal handlers: {})", handled);
        return termination;
    }

    /** Asks the command to stop. Idempotent. */
    public void request() {
        requested.countDown();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Blocks until a stop is requested. */
    public void await() throws InterruptedException {
        requested.await();
    }

    /** Blocks until a stop is requested or the timeout elapses; true if requested. */
    public boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Something that runs until it stops by itself, e.g. {@code PipelineRunner::awaitStop}. */
    @FunctionalInterface
    interface Stopping {
        void await() throws InterruptedException;
    }

    /**
     * Requests the stop as soon as {@code service} stops by itself (a fatal error), so that the command
     * ends as on Ctrl-C. Watches from a daemon thread named {@code threadName}.
     */
    void requestWhenStopped(Stopping service, String threadName) {
        Thread watcher = new Thread(() -> {
            try {
                service.await();
                request();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Called by the launcher once the command has returned. */
    void finished() {
        finished.countDown();
    }

    private void awaitFinished(Duration timeout) {
        try {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Still stopping after {} s; exiting anyway", timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onSignal(String name) {
        if (signals.incrementAndGet() == 1) {
            LOG.info("SIG{} received, stopping (press Ctrl-C again to force)", name);
            request();
        } else {
            System.err.println("Forced exit.");
            Runtime.getRuntime().halt(130);
        }
    }

    /**
     * Installs a handler through {@code sun.misc.Signal} (module jdk.unsupported), by reflection to
     * keep the build free of internal-API warnings. Returns false if the JVM does not allow it.
     */
    private static boolean handle(String signal, Termination termination) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            InvocationHandler invocation = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        termination.onSignal(signal);
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    case "toString":
                        return "export-counter SIG" + signal + " handler";
                    default:
                        return null;
                }
            };
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
            Object sig = signalClass.getConstructor(String.class).newInstance(signal);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, sig, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Cannot handle SIG{}: {}", signal, e.toString());
            return false;
        }
    }
}
