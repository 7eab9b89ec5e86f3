package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one-command demo, end to end: broker, pipeline, dashboard, notifier and a (small, fast) 2025 replay. */
class DemoCommandTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void the_demo_prints_the_700_billion_notice_at_1_03_pm_and_stops_cleanly(@TempDir Path dir) throws Exception {
        int port = Cli.freePort();
        StringWriter out = new StringWriter();
        Termination termination = Termination.manual();
        String[] args = {"demo", "--declarations", "6000", "--speed", "20000000",
                "--http-port", Integer.toString(port), "--data-dir", dir.toString()};
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() ->
                new ExportCounterCli(termination).execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args));
        try {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> out.toString().contains("Replay of 2025 finished")
                            && out.toString().contains("As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                                    // v2: the notice goes on with the crossing's history ("topping $700 billion for
                                    // the first time, seven years after ..."), as the pipeline's history on record allows.
                                    + " were provisionally tallied at $700 billion"));
            assertThat(out.toString()).contains("2025년 12월 29일 오후 1시 3분 기준")
                    .contains("Dashboard: http://localhost:" + port + "/");
            // The dashboard's API reaches the calibrated annual total once the pipeline has counted the tail.
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest total = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/totals/2025")).build();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                    http.send(total, HttpResponse.BodyHandlers.ofString()).body().contains("\"totalUsd\":\"709700000000.00\""));
        } finally {
            termination.request();
        }
        assertThat(demo.get(1, TimeUnit.MINUTES)).isZero();
    }
}
