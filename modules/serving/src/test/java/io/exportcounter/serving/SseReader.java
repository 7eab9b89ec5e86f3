package io.exportcounter.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent-Events client for the tests: collects {@code event:}/{@code data:} pairs as they arrive. The
 * answer's status and headers, an error answer's body and every event's data are checked against the API's
 * OpenAPI document; what disagrees fails {@link #awaitConnected} or {@link #close}.
 */
final class SseReader implements AutoCloseable {
    record Event(String name, String data) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Thread thread;
    private volatile InputStream body;
    private volatile int status;

    SseReader(int port, String pathAndQuery) {
        thread = new Thread(() -> read(port, pathAndQuery), "sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the response headers; returns the HTTP status. */
    int awaitConnected() throws InterruptedException {
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no answer from the events endpoint");
        }
        assertAsDocumented();
        return status;
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    private void read(int port, String pathAndQuery) {
        // Deliberately no "Accept: text/event-stream": the endpoint must not depend on it.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).GET().build();
        try {
            HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            if (status != 200) {
                // An error answer is JSON to read whole; the stream's body is checked event by event.
                String error = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                problems.addAll(ApiContract.served().problems("GET", pathAndQuery, status, r.headers().map(), error));
                connected.countDown();
                return;
            }
            problems.addAll(ApiContract.served().problems("GET", pathAndQuery, status, r.headers().map(), null));
            connected.countDown();
            BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        Event e = new Event(name == null ? "message" : name, data.toString());
                        problems.addAll(ApiContract.served().eventProblems(e.name(), e.data()));
                        events.add(e);
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        } finally {
            connected.countDown();
        }
    }

    @Override
    public void close() {
        try {
            InputStream b = body;
            if (b != null) {
                b.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        thread.interrupt();
        assertAsDocumented();
    }

    private void assertAsDocumented() {
        if (!problems.isEmpty()) {
            throw new AssertionError("live events not as the OpenAPI document says:\n  " + String.join("\n  ", problems));
        }
    }
}
