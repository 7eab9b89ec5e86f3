package io.exportcounter.serving;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected Server-Sent-Events clients. Each client has a bounded queue drained by a shared pool, so
 * one slow or stuck browser never holds up the others or the Kafka consumer that feeds them; a client
 * that falls more than {@value #QUEUE} events behind is disconnected (EventSource reconnects by itself).
 */
final class SseHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SseHub.class);
    static final int QUEUE = 4096;
    static final int SENDERS = 16;

    /** A client's interest: totals of periods starting with {@code year} and of these dimensions; null = all. */
    record Filter(String year, Set<String> dimensions) {
        boolean wantsTotal(String key) {
            if (year != null && !key.startsWith(year)) {
                return false;
            }
            if (dimensions == null) {
                return true;
            }
            int a = key.indexOf('|');
            int b = key.indexOf('|', a + 1);
            return a > 0 && b > a && dimensions.contains(key.substring(a + 1, b));
        }
    }

    private record Event(String name, String data) {
    }

    private final class Subscriber {
        final SseClient client;
        final Filter filter;
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        final AtomicBoolean draining = new AtomicBoolean();
        volatile boolean closed;

        Subscriber(SseClient client, Filter filter) {
            this.client = client;
            this.filter = filter;
        }

        void offer(Event e) {
            if (closed) {
                return;
            }
            if (!queue.offer(e)) {
                log.info("Disconnecting a live-events client that fell {} events behind", QUEUE);
                dropped.incrementAndGet();
                close();
                return;
            }
            if (draining.compareAndSet(false, true)) {
                senders.execute(this::drain);
            }
        }

        private void drain() {
            try {
                Event e;
                while (!closed && (e = queue.poll()) != null) {
                    if (e.name() == null) {
                        client.sendComment(e.data());
                    } else {
                        client.sendEvent(e.name(), e.data());
                    }
                    if (client.terminated()) {
                        close();
                    }
                }
            } catch (RuntimeException ex) {
                close();
            } finally {
                draining.set(false);
            }
            // An event offered between the last poll and the reset above must not wait for the next one.
            if (!closed && !queue.isEmpty() && draining.compareAndSet(false, true)) {
                senders.execute(this::drain);
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                subscribers.remove(this);
                queue.clear();
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
    }

    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    /** Clients disconnected for falling {@value #QUEUE} events behind, since start. */
    private final AtomicLong dropped = new AtomicLong();
    /**
     * The threads that write to the clients: a fixed few, whatever the number of clients (a cached pool started a
     * thread for nearly every client at each flush: 400 threads for 1,000 clients). Enough that a few clients whose
     * writes block (a stuck browser, until Jetty's idle timeout ends the write) leave the others served; each client
     * has at most one drain waiting, so the queue of work is bounded by the clients.
     */
    private final ThreadPoolExecutor senders = new ThreadPoolExecutor(SENDERS, SENDERS, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "live-events-sender-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    SseHub() {
        senders.allowCoreThreadTimeOut(true);
    }

    /** Registers a connected client; it is kept open until it disconnects or the hub closes. */
    void add(SseClient client, Filter filter) {
        Subscriber s = new Subscriber(client, filter);
        client.onClose(s::close);
        subscribers.add(s);
        client.keepAlive();
        // A first line at once, so the browser's EventSource reports the connection open.
        s.offer(new Event(null, "connected"));
    }

    void publishTotal(String key, String json) {
        Event e = new Event("total", json);
        for (Subscriber s : subscribers) {
            if (s.filter.wantsTotal(key)) {
                s.offer(e);
            }
        }
    }

    void publishMilestone(String json) {
        Event e = new Event("milestone", json);
        for (Subscriber s : subscribers) {
            s.offer(e);
        }
    }

    /** A comment line to every client: keeps idle connections (and proxies) alive, finds dead ones. */
    void heartbeat() {
        Event e = new Event(null, "keepalive");
        for (Subscriber s : subscribers) {
            s.offer(e);
        }
    }

    int clients() {
        return subscribers.size();
    }

    /** Clients disconnected so far for falling {@value #QUEUE} events behind. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        for (Subscriber s : subscribers) {
            s.close();
        }
        senders.shutdownNow();
    }
}
