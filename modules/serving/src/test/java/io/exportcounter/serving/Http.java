package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny HTTP client for the tests. Every answer it receives is checked against the API's OpenAPI document
 * ({@link ApiContract}): status, headers and body; one that disagrees fails the test with the reasons.
 */
final class Http {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, String body, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private Http() {
    }

    static Response get(int port, String pathAndQuery) {
        return request(port, "GET", pathAndQuery);
    }

    /** A request with no body; {@code headers} are name, value, name, value, ... */
    static Response request(int port, String method, String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(15)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Response response = new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r);
            assertAsDocumented(method, pathAndQuery, response.status(), r.headers().map(), response.body());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request with a raw (possibly malformed) request target, over a plain socket; the whole answer as text. */
    static String raw(int port, String requestTarget) throws IOException {
        String answer;
        try (java.net.Socket s = new java.net.Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + requestTarget + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        // HTTP/1.1 framing by hand: a status line, header lines, an empty line, the body (Connection: close).
        String[] headAndBody = answer.split("\r\n\r\n", 2);
        String[] lines = headAndBody[0].split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            String[] nameValue = lines[i].split(":", 2);
            headers.computeIfAbsent(nameValue[0].trim(), k -> new ArrayList<>()).add(nameValue[1].trim());
        }
        if (headers.containsKey("Transfer-Encoding")) {
            throw new AssertionError("a chunked answer to " + requestTarget + " (expected a Content-Length): " + answer);
        }
        assertAsDocumented("GET", requestTarget, status, headers, headAndBody.length > 1 ? headAndBody[1] : "");
        return answer;
    }

    /** Fails with every way the answer disagrees with the API's OpenAPI document. */
    static void assertAsDocumented(String method, String pathAndQuery, int status, Map<String, List<String>> headers,
            String body) {
        List<String> problems = ApiContract.served().problems(method, pathAndQuery, status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("answer not as the OpenAPI document says:\n  " + String.join("\n  ", problems));
        }
    }
}
