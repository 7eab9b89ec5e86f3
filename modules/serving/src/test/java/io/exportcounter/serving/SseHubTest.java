package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The live-events hub on a real HTTP server: a client that stops reading is cut off, and counted. */
class SseHubTest {

    @Test
    void a_client_that_stops_reading_is_disconnected_and_counted_as_dropped() throws Exception {
        SseHub hub = new SseHub();
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
        }).sse("/events", client -> hub.add(client, new SseHub.Filter(null, null))).start(0);
        try (Socket reader = new Socket("localhost", app.port())) {
            // Given a client that connects and then never reads
            OutputStream out = reader.getOutputStream();
            out.write("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.clients() == 1);
            assertThat(hub.dropped()).isZero();

            // When far more events come than its socket buffers and its queue hold
            String milestone = "{\"milestoneId\":\"" + "x".repeat(16_000) + "\"}";
            for (int i = 0; i < 3 * SseHub.QUEUE && hub.dropped() == 0; i++) {
                hub.publishMilestone(milestone);
            }

            // Then it is disconnected, and counted for export_counter_live_clients_dropped_total
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.clients() == 0);
            assertThat(hub.dropped()).isEqualTo(1);
        } finally {
            hub.close();
            app.stop();
        }
    }
}
