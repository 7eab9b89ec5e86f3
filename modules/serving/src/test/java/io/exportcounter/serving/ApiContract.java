package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API's OpenAPI 3.1 document as a checker of real answers: swagger-parser reads the document and finds the
 * operation and the response for a status; networknt's json-schema-validator, with the OpenAPI 3.1 dialect,
 * checks the body and every documented header against the document's schemas. A status the operation does not
 * list, a missing required header, an undocumented content type or a body that drifts from its schema (a
 * renamed, missing or extra field) is a problem. Requests the document does not list (other methods, other
 * paths) are checked against its {@code x-unlisted-methods} and {@code x-unlisted-paths} answers.
 */
final class ApiContract {
    /** The id the document is registered under for the schema validator; never fetched. */
    private static final String DOCUMENT_ID = "https://export-counter.invalid/api/v1/openapi.json";
    private static final ApiContract SERVED = of(resource(ServingServer.OPENAPI_RESOURCE));

    private final JsonNode document;
    private final OpenAPI api;
    private final SchemaRegistry schemas;
    private final Map<List<String>, Schema> compiled = new ConcurrentHashMap<>();
    /** Path templates, concrete ones first (OpenAPI: {@code /a/b} wins over {@code /a/{x}}). */
    private final List<Template> templates = new ArrayList<>();

    private record Template(String path, Pattern pattern, int literalChars) {
    }

    /** One response of the document and where it is in it (the segments of a JSON pointer, unescaped). */
    private record Found(ApiResponse response, List<String> at) {
    }

    private ApiContract(String json) {
        this.document = Json.tree(json.getBytes(StandardCharsets.UTF_8));
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json, null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalArgumentException("not a valid OpenAPI document: " + parsed.getMessages());
        }
        this.api = parsed.getOpenAPI();
        if (api.getSpecVersion() != SpecVersion.V31) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: " + api.getOpenapi());
        }
        this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b
                .schemas(Map.of(DOCUMENT_ID, json))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        api.getPaths().keySet().forEach(path -> {
            String regex = "\\Q" + path.replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            templates.add(new Template(path, Pattern.compile(regex), path.replaceAll("\\{[^}/]+}", "").length()));
        });
        templates.sort(Comparator.comparingInt(Template::literalChars).reversed());
    }

    /** The document the server serves. */
    static ApiContract served() {
        return SERVED;
    }

    /** A checker for another document (the tests of the checker itself). */
    static ApiContract of(String json) {
        return new ApiContract(json);
    }

    /** The document as it is in the jar. */
    static String servedDocument() {
        return resource(ServingServer.OPENAPI_RESOURCE);
    }

    /**
     * What in one answer disagrees with the document; empty when nothing does.
     *
     * @param headers the answer's headers (names in any case)
     * @param body the body, or null when it was not read (an event stream, which {@link #eventProblems} checks)
     */
    List<String> problems(String method, String pathAndQuery, int status, Map<String, List<String>> headers, String body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        String what = method + " " + pathAndQuery + " -> " + status;
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        List<String> problems = new ArrayList<>();

        Found found = find(method, path, status, what, problems);
        if (found == null) {
            return problems;
        }
        ApiResponse response = found.response();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, header) -> {
                List<String> at = append(found.at(), "headers", name);
                if (header.get$ref() != null) {
                    at = local(header.get$ref());
                    header = api.getComponents().getHeaders().get(last(header.get$ref()));
                }
                List<String> values = byName.get(name);
                if (values == null || values.isEmpty()) {
                    if (Boolean.TRUE.equals(header.getRequired())) {
                        problems.add(what + ": required header " + name + " is missing");
                    }
                    return;
                }
                for (Error e : schema(append(at, "schema")).validate(TextNode.valueOf(values.get(0)))) {
                    problems.add(what + ": header " + name + ": " + values.get(0) + ": " + e);
                }
            });
        }
        if (response.getContent() == null || response.getContent().isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add(what + ": a body where the document has none");
            }
            return problems;
        }
        List<String> types = byName.getOrDefault("Content-Type", List.of());
        String contentType = types.isEmpty() ? null : types.get(0);
        Optional<Map.Entry<String, MediaType>> media = response.getContent().entrySet().stream()
                .filter(m -> contentType != null && normalized(m.getKey()).equals(normalized(contentType))).findFirst();
        if (media.isEmpty()) {
            problems.add(what + ": Content-Type " + contentType + " is not one of " + response.getContent().keySet());
            return problems;
        }
        if (body == null || method.equals("HEAD")) {
            return problems;
        }
        List<String> schemaAt = append(found.at(), "content", media.get().getKey(), "schema");
        JsonNode instance;
        if (normalized(media.get().getKey()).startsWith("application/json")) {
            try {
                instance = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                problems.add(what + ": body is not JSON: " + shorten(body));
                return problems;
            }
        } else {
            instance = TextNode.valueOf(body);
        }
        for (Error e : schema(schemaAt).validate(instance)) {
            problems.add(what + ": body " + e + " in " + shorten(body));
        }
        return problems;
    }

    /** What in one Server-Sent Event's data disagrees with the {@code x-events} schema of its name. */
    List<String> eventProblems(String eventName, String data) {
        JsonNode content = document.path("paths").path("/api/v1/events").path("get").path("responses").path("200").path("content");
        List<String> problems = new ArrayList<>();
        String media = content.fieldNames().hasNext() ? content.fieldNames().next() : "";
        if (content.path(media).path("x-events").path(eventName).isMissingNode()) {
            problems.add("event '" + eventName + "' is not documented");
            return problems;
        }
        JsonNode instance;
        try {
            instance = Json.MAPPER.readTree(data);
        } catch (IOException e) {
            problems.add("event '" + eventName + "': data is not JSON: " + shorten(data));
            return problems;
        }
        List<String> at = List.of("paths", "/api/v1/events", "get", "responses", "200", "content", media, "x-events", eventName);
        for (Error e : schema(at).validate(instance)) {
            problems.add("event '" + eventName + "': " + e + " in " + shorten(data));
        }
        return problems;
    }

    /** The documented response for the answer, or null (with the problem added) when there is none. */
    private Found find(String method, String path, int status, String what, List<String> problems) {
        Map<String, ApiResponse> responses;
        List<String> base;
        if (!method.equals("GET") && !method.equals("HEAD")) {
            base = List.of("x-unlisted-methods", "responses");
            responses = unlisted("x-unlisted-methods");
        } else {
            // A path that is not a well-formed URI path (bad percent-encoding) never reaches a route.
            Template t = !wellFormed(path) ? null
                    : templates.stream().filter(x -> x.pattern().matcher(path).matches()).findFirst().orElse(null);
            PathItem item = t == null ? null : api.getPaths().get(t.path());
            if (item == null || item.getGet() == null) {
                base = List.of("x-unlisted-paths", "responses");
                responses = unlisted("x-unlisted-paths");
            } else {
                base = List.of("paths", t.path(), "get", "responses");
                responses = item.getGet().getResponses();
            }
        }
        ApiResponse response = responses.get(String.valueOf(status));
        if (response == null) {
            problems.add(what + ": status " + status + " is not documented (documented: " + responses.keySet() + ")");
            return null;
        }
        List<String> at = append(base, String.valueOf(status));
        if (response.get$ref() != null) {
            at = local(response.get$ref());
            response = api.getComponents().getResponses().get(last(response.get$ref()));
        }
        return new Found(response, at);
    }

    /** The responses of a root {@code x-unlisted-*} extension, each a reference to a component response. */
    private Map<String, ApiResponse> unlisted(String extension) {
        Map<String, ApiResponse> out = new LinkedHashMap<>();
        document.path(extension).path("responses").fields().forEachRemaining(e -> {
            ApiResponse r = new ApiResponse();
            r.set$ref(e.getValue().path("$ref").asText());
            out.put(e.getKey(), r);
        });
        return out;
    }

    /** The schema at {@code at} in the document, compiled once; its {@code $ref}s resolve within the document. */
    private Schema schema(List<String> at) {
        return compiled.computeIfAbsent(at, a -> {
            SchemaLocation location = SchemaLocation.of(DOCUMENT_ID);
            for (String segment : a) {
                location = location.append(segment);
            }
            return schemas.getSchema(location);
        });
    }

    private static List<String> append(List<String> at, String... segments) {
        List<String> out = new ArrayList<>(at);
        out.addAll(List.of(segments));
        return out;
    }

    /** A reference within the document ({@code #/components/responses/NotFound}) as segments. */
    private static List<String> local(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only references within the document are supported: " + ref);
        }
        return List.of(ref.substring(2).split("/"));
    }

    private static String last(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static boolean wellFormed(String path) {
        try {
            URI.create(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalized(String mediaType) {
        return mediaType.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String shorten(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    private static String resource(String path) {
        try (InputStream in = ApiContract.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
