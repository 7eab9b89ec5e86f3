package io.exportcounter.serving;

import io.exportcounter.contract.config.Secret;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Who may do what on the HTTP port. The API is read-only: GET and HEAD only, everything else a 405.
 * With {@code http.auth.token} set, every request but {@code /health} (for load balancers and
 * orchestrators) and the dashboard's static page must carry {@code Authorization: Bearer <token>};
 * the live-events endpoint also takes it as {@code ?access_token=} (RFC 6750, section 2.3), because a
 * browser's EventSource cannot send headers. Kept free of the HTTP server so every rule has a plain test.
 */
final class ApiAccess {
    static final String ALLOW = "GET, HEAD";
    static final String EVENTS_PATH = "/api/v1/events";
    private static final String REALM = "Bearer realm=\"export-counter\"";

    /** Why a request is refused: the status, the message for {@code {"error"}} and the headers to send. */
    record Refusal(int status, String message, Map<String, String> headers) {
    }

    private final byte[] tokenDigest;

    ApiAccess(Secret token) {
        this.tokenDigest = token.isEmpty() ? null : sha256(token.reveal());
    }

    /** True when requests need a token. */
    boolean protectedByToken() {
        return tokenDigest != null;
    }

    /** The bearer token to forward with requests to the other instances, or null. */
    static String authorizationHeader(Secret token) {
        return token.isEmpty() ? null : "Bearer " + token.reveal();
    }

    /** {@code request} with the {@code Authorization} header another instance needs, if there is one (null: none). */
    static HttpRequest.Builder authorized(HttpRequest.Builder request, String authorization) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    /**
     * Null when the request may go on, else why not.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param accessToken the {@code access_token} query parameter, or null
     */
    Refusal check(String method, String path, String authorization, String accessToken) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new Refusal(405, "the API is read-only: only GET and HEAD are allowed", Map.of("Allow", ALLOW));
        }
        if (tokenDigest == null || isOpen(path)) {
            return null;
        }
        String given = null;
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                given = authorization.substring(7).trim();
            } else {
                return invalid("the Authorization header must be 'Bearer <token>'");
            }
        } else if (accessToken != null && path.equals(EVENTS_PATH)) {
            given = accessToken;
        }
        if (given == null) {
            return new Refusal(401, "this API needs a bearer token: send 'Authorization: Bearer <token>'",
                    Map.of("WWW-Authenticate", REALM));
        }
        // Digests of equal length compared in constant time: neither the token nor its length leaks by timing.
        if (!MessageDigest.isEqual(sha256(given), tokenDigest)) {
            return invalid("invalid bearer token");
        }
        return null;
    }

    /** Paths open without a token: health probes and the dashboard page (which then asks for the token). */
    static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/") || path.startsWith("/assets/");
    }

    private static Refusal invalid(String message) {
        return new Refusal(401, message, Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
