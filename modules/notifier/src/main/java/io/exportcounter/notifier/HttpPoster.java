package io.exportcounter.notifier;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP POST per delivery attempt, and what its answer means for the retries: a 2xx answer is a
 * delivery; timeouts, connection errors, 5xx and 429 (with its {@code Retry-After}) are worth retrying;
 * any other answer is not. Shared by the HTTP channels (webhook, Alertmanager).
 */
final class HttpPoster {
    private static final int MAX_REASON_BODY = 200;

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    HttpPoster(URI url, Duration connectTimeout, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        // HTTP/1.1: a plain POST, no h2c upgrade dance with simple receivers; redirects are not followed,
        // because a notice must reach the configured URL or fail visibly.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI url() {
        return url;
    }

    /** Posts {@code body} with {@code headers} (Content-Type among them) and classifies the answer. */
    Attempt post(byte[] body, Map<String, String> headers) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("User-Agent", "export-counter-notifier")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            return Attempt.retryable("connect timed out (" + url.getHost() + ":" + port() + ")");
        } catch (HttpTimeoutException e) {
            return Attempt.retryable("no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Attempt.retryable("connection refused or unreachable (" + url.getHost() + ":" + port() + ")");
        } catch (IOException e) {
            return Attempt.retryable("connection error: " + e);
        }
        int status = response.statusCode();
        String answer = "HTTP " + status + snippet(response.body());
        if (status >= 200 && status < 300) {
            return Attempt.delivered(answer);
        }
        if (status == 429 || status >= 500) {
            return Attempt.retryable(answer, retryAfter(response).orElse(null));
        }
        return Attempt.permanent(status >= 300 && status < 400 ? answer + " (redirects are not followed)" : answer);
    }

    private int port() {
        return url.getPort() >= 0 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is rare for these receivers and is ignored). */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The start of the answer's body, on one line, for the reason; the rest is not read. */
    private static String snippet(InputStream body) {
        try (InputStream in = body) {
            String text = new String(in.readNBytes(MAX_REASON_BODY), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }
}
