package io.exportcounter.notifier;

import io.exportcounter.contract.config.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP POST of each notice to the configured URL, as a CloudEvent 1.0 in structured mode
 * ({@code webhook.format=cloudevents}, the default: {@link NoticeEvents}) or as the plain body
 * {@code {"milestone": {...}, "notice": {"en", "ko"}}} (a heads-up: {@code {"forecast", "thresholdUsd", "notice"}})
 * ({@code webhook.format=plain}).
 *
 * <p>Headers in both formats: {@code X-Signature-SHA256: sha256=<hex HMAC-SHA256 of the exact body
 * bytes, keyed with webhook.secret>}, so the receiver can check the sender, and
 * {@code Idempotency-Key: <occurrence key>} (also the event's {@code id}), the same on every retry and
 * after a restart, so the receiver can drop repeats. Answers are read by {@link HttpPoster}.
 */
final class WebhookChannel implements Channel {
    static final String NAME = "webhook";
    static final String SIGNATURE_HEADER = "X-Signature-SHA256";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String PLAIN_CONTENT_TYPE = "application/json; charset=utf-8";

    private final HttpPoster poster;
    private final Secret secret;
    private final NotifierConfig.WebhookFormat format;
    private final URI source;

    /**
     * @param source the CloudEvents {@code source} (unused in the plain format)
     */
    WebhookChannel(URI url, Secret secret, Duration connectTimeout, Duration timeout, NotifierConfig.WebhookFormat format,
            URI source) {
        this.poster = new HttpPoster(url, connectTimeout, timeout);
        this.secret = secret;
        this.format = format;
        this.source = source;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Attempt attempt(Delivery d) throws InterruptedException {
        Request r = request(d);
        return poster.post(r.body(), r.headers());
    }

    /** What one attempt sends: the body and its headers, the signature computed over exactly these bytes. */
    record Request(byte[] body, Map<String, String> headers) {
    }

    /** The request for {@code d}: the same bytes on every attempt, so every attempt carries the same signature. */
    Request request(Delivery d) {
        byte[] body = switch (format) {
            case CLOUDEVENTS -> NoticeEvents.structured(d, source);
            case PLAIN -> Json.webhookBody(d);
        };
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", switch (format) {
            case CLOUDEVENTS -> NoticeEvents.CONTENT_TYPE;
            case PLAIN -> PLAIN_CONTENT_TYPE;
        });
        headers.put(IDEMPOTENCY_HEADER, d.occurrenceKey());
        headers.put(SIGNATURE_HEADER, "sha256=" + sign(secret, body));
        return new Request(body, headers);
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
}
