package io.exportcounter.notifier;

import io.exportcounter.contract.config.Secret;

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
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP POST of {@code {"milestone": {...}, "notice": {"en", "ko"}}} to the configured URL.
 *
 * <p>Headers: {@code X-Signature-SHA256: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with
 * webhook.secret>}, so the receiver can check the sender, and {@code Idempotency-Key: <occurrence key>},
 * the same on every retry and after a restart, so the receiver can drop repeats. A 2xx answer is a
 * delivery; timeouts, connection errors, 5xx and 429 are worth retrying; any other answer is not.
 */
final class WebhookChannel implements Channel {
    static final String NAME = "webhook";
    static final String SIGNATURE_HEADER = "X-Signature-SHA256";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final int MAX_REASON_BODY = 200;

    private final URI url;
    private final Secret secret;
    private final Duration timeout;
    private final HttpClient client;

    WebhookChannel(URI url, Secret secret, Duration connectTimeout, Duration timeout) {
        this.url = url;
        this.secret = secret;
        this.timeout = timeout;
        // HTTP/1.1: a plain POST, no h2c upgrade dance with simple receivers; redirects are not followed,
        // because a signed notice must reach the configured URL or fail visibly.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Attempt attempt(Delivery d) throws InterruptedException {
        byte[] body = Json.webhookBody(d);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "export-counter-notifier")
                .header(IDEMPOTENCY_HEADER, d.occurrenceKey())
                .header(SIGNATURE_HEADER, "sha256=" + sign(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
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

    /** Hex HMAC-SHA256 of {@code body} keyed with {@code secret}: what the receiver recomputes. */
    static String sign(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private int port() {
        return url.getPort() >= 0 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is rare for webhooks and is ignored). */
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
