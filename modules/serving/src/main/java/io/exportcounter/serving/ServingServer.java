package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Money;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.milestones.MilestoneRules;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a pipeline instance (CONTRACT.md section 7): the API over interactive queries (any
 * instance answers any query, forwarding to the instance holding the stage-2 stores), live events,
 * Prometheus metrics, health and the operations-center dashboard.
 *
 * <p>Start it after creating the {@link PipelineRunner} (before or after {@code runner.start()}): the
 * runner advertises {@code http.advertised-host:http.port} to the other instances as Kafka Streams'
 * {@code application.server}, so this server must listen on {@code http.port}.
 */
public final class ServingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingServer.class);
    private static final String JSON = "application/json";
    private static final String DASHBOARD = "/io/exportcounter/serving/dashboard/";
    /** The OpenAPI 3.1 document of this API, served as it is in the jar. */
    static final String OPENAPI_RESOURCE = "/io/exportcounter/serving/openapi.json";
    static final String OPENAPI_PATH = "/api/v1/openapi.json";
    private static final Map<String, String> ASSET_TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    /** Only what the page itself needs; in particular nothing from other origins (no CDN). */
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'";

    /**
     * For work on the dashboard only: {@code -Dexport-counter.dashboard-dir=modules/serving/src/main/resources/io/exportcounter/serving/dashboard}
     * serves the page from that folder, re-read on every request, instead of from the jar.
     */
    private static final String DEV_ASSETS = System.getProperty("export-counter.dashboard-dir");

    private final PipelineConfig config;
    private final String selfName;
    private final SseHub hub = new SseHub();
    private final LiveEvents live;
    private final ServingMetrics metrics;
    private final StatusService status;
    private final QueryRouter router;
    private final StoreQueries queries;
    private final MilestoneRules rules;
    private final ApiAccess access;
    private final java.util.Optional<ServingTls> tls;
    private final Map<String, byte[]> assets = new HashMap<>();
    private final byte[] openApi = resource(OPENAPI_RESOURCE);
    private final ScheduledExecutorService scheduler;
    private final Javalin app;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ServingServer(PipelineRunner runner, int port) {
        this.config = runner.config();
        Properties streamsProps = PipelineRunner.streamsProperties(config);
        String advertised = streamsProps.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        HostInfo self = advertised == null || advertised.isBlank() ? null : HostInfo.buildFromEndpoint(advertised);
        if (self != null && port != self.port()) {
            log.warn("Serving on port {} but advertising {} to the other instances: queries they forward here will fail",
                    port, advertised);
        }
        this.selfName = self != null ? self.host() + ":" + self.port() : "localhost:" + port;
        byte[] countryKey = config.country().getBytes(StandardCharsets.UTF_8);
        String appId = streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);

        this.tls = ServingTls.from(config);
        ServingTls.Peers peers = ServingTls.Peers.of(tls);
        this.rules = MilestoneRules.from(config);
        this.queries = new StoreQueries(config.country(), config.zone(), rules);
        this.access = new ApiAccess(config.httpAuthToken());
        this.router = new QueryRouter(runner.streams(), new LocalStores(runner.streams()), self, selfName, countryKey,
                ApiAccess.authorizationHeader(config.httpAuthToken()), peers);
        this.live = new LiveEvents(streamsProps, appId + "-serving-events-" + port, config.totalsTopic(),
                config.milestonesTopic(), config.country(), hub);
        this.metrics = new ServingMetrics(runner.streams(), runner.stats(), live, hub, config.country());
        this.status = new StatusService(runner.streams(), runner.stats(), config, streamsProps, self, selfName, countryKey, hub, peers);
        loadAssets();

        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            // Compression would buffer the event stream; the payloads here are small anyway.
            c.http.disableCompression();
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
            c.requestLogger.http((ctx, ms) -> metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(), ms));
            // With a keystore the port speaks HTTPS only (Javalin adds its plain connector only when there is none).
            tls.ifPresent(t -> c.jetty.addConnector((server, httpConfig) -> t.connector(server, httpConfig, port)));
        });
        routes();
        app.start(port);

        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serving-" + port);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(hub::heartbeat, 15, 15, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(status::healthy, 0, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshNational, 2, 10, TimeUnit.SECONDS);
        live.start();
        log.info("Serving the API, live events, metrics and dashboard on {}://{}/ (port {}; {})", scheme(), selfName, app.port(),
                access.protectedByToken() ? "bearer token required but on /health and the dashboard page" : "no token required");
    }

    /** Starts serving on the configured {@code http.port}. */
    public static ServingServer start(PipelineRunner runner) {
        return start(runner, runner.config().httpPort());
    }

    /** Starts serving on {@code port} (0: any free port, for one instance alone). */
    public static ServingServer start(PipelineRunner runner, int port) {
        return new ServingServer(runner, port);
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** {@code https} when serving from a keystore ({@code serving.tls.keystore.path}), else {@code http}. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /** This instance as the others know it ({@code host:port}). */
    public String instance() {
        return selfName;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        live.close();
        hub.close();
        try {
            app.stop();
        } finally {
            status.close();
            metrics.close();
        }
    }

    private void routes() {
        // Before any route, matched or not: a POST to an unknown path is a 405 too, and nothing is
        // revealed (not even which paths exist) without the token.
        app.before(ctx -> {
            ApiAccess.Refusal refusal = access.check(ctx.method().name(), ctx.path(), ctx.header("Authorization"),
                    ctx.queryParam("access_token"));
            if (refusal != null) {
                refusal.headers().forEach(ctx::header);
                json(ctx, refusal.status(), Json.error(refusal.message()));
                ctx.skipRemainingHandlers();
            }
        });
        get("/api/v1/totals/{period}", ctx -> {
            String period = Requests.period(ctx.pathParam("period"));
            routed(ctx, s -> queries.national(s, period));
        });
        get("/api/v1/totals/{period}/{dimension}", ctx -> {
            String period = Requests.period(ctx.pathParam("period"));
            Dimension dimension = Requests.dimension(ctx.pathParam("dimension"));
            String through = single(ctx, "throughMonth");
            if (through == null) {
                routed(ctx, s -> queries.breakdown(s, period, dimension));
                return;
            }
            if (!Requests.isYear(period)) {
                throw ApiException.badRequest("throughMonth needs a year as the period, was '" + period + "'");
            }
            int n = Requests.throughMonth(through);
            routed(ctx, s -> queries.breakdownThroughMonth(s, period, dimension, n));
        });
        get("/api/v1/milestones", ctx -> {
            String raw = single(ctx, "period");
            String period = raw == null ? null : Requests.milestonePeriod(raw);
            routed(ctx, s -> queries.milestones(s, period));
        });
        get("/api/v1/history/{dimension}/{member}", ctx -> {
            Dimension dimension = Requests.dimension(ctx.pathParam("dimension"));
            String member = Requests.member(ctx.pathParam("member"));
            routed(ctx, s -> queries.history(s, dimension, member));
        });
        get("/api/v1/forecast/{year}", ctx -> {
            String year = Requests.year(ctx.pathParam("year"));
            routed(ctx, s -> queries.nationalForecast(s, year));
        });
        get("/api/v1/forecast/{year}/{dimension}/{member}", ctx -> {
            String year = Requests.year(ctx.pathParam("year"));
            Dimension dimension = Requests.dimension(ctx.pathParam("dimension"));
            String member = Requests.member(ctx.pathParam("member"));
            routed(ctx, s -> queries.forecast(s, year, dimension, member));
        });
        get("/api/v1/periods", ctx -> routed(ctx, queries::periods));
        get("/api/v1/monthly/{year}", ctx -> {
            String year = Requests.year(ctx.pathParam("year"));
            routed(ctx, s -> queries.monthly(s, year));
        });
        get("/api/v1/thresholds", ctx -> json(ctx, 200, Json.bytes(thresholds())));
        get("/api/v1/status", ctx -> json(ctx, 200, Json.bytes(status.cluster())));
        get(StatusService.INSTANCE_PATH, ctx -> json(ctx, 200, Json.bytes(status.instance())));
        get("/api/v1/events", this::events);
        // Behind the token like /api/v1/status and /metrics, not open like /health: it lists every path, and
        // without the token nothing is revealed (ApiAccess). Those who may call the API may read how.
        get(OPENAPI_PATH, ctx -> json(ctx, 200, openApi));
        get("/metrics", ctx -> {
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        get("/health", ctx -> {
            boolean up = status.healthy();
            json(ctx, up ? 200 : 503, Json.bytes(Json.object().put("status", up ? "UP" : "DOWN").put("state", status.state())));
        });
        get("/", ctx -> asset(ctx, "index.html"));
        get("/assets/{name}", ctx -> asset(ctx, ctx.pathParam("name")));

        app.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), Json.error(e.getMessage())));
        // Javalin's own answers (no such route, ...) in the API's format.
        app.exception(HttpResponseException.class, (e, ctx) ->
                json(ctx, e.getStatus(), Json.error(e.getStatus() == 404 ? "not found" : JsonErrorHandler.messageFor(e.getStatus()))));
        app.exception(Exception.class, (e, ctx) -> {
            log.warn("{} {} failed", ctx.method(), ctx.path(), e);
            json(ctx, 500, Json.error("internal error"));
        });
        app.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                json(ctx, 404, Json.error("not found"));
            }
        });
    }

    /**
     * A GET route, and the same handler for HEAD: left alone, Javalin answers HEAD with an empty 200 wherever a
     * GET route matches, even where the GET is a 404; Jetty sends no body for HEAD.
     */
    private void get(String path, Handler handler) {
        app.get(path, handler);
        app.head(path, handler);
    }

    /** Answers from the stage-2 stores, here or on the instance holding them. */
    private void routed(Context ctx, java.util.function.Function<LocalStores.Snapshot, JsonNode> query) {
        String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        Answer a = router.route(pathAndQuery, ctx.header(QueryRouter.FORWARDED) != null, query);
        if (a.servedBy() != null) {
            ctx.header(QueryRouter.SERVED_BY, a.servedBy());
        }
        if (a.stale()) {
            ctx.header(QueryRouter.STALE, "true");
        }
        json(ctx, a.status(), a.body());
    }

    /**
     * {@code GET /api/v1/events}: Server-Sent Events. {@code total} events (Total JSON, at most one per
     * total every 250 ms) and {@code milestone} events (Milestone JSON, CROSSED and RETRACTED) as they are
     * committed. Optional filters on totals: {@code year=2025}, {@code dimension=NATIONAL,CATEGORY}.
     */
    private void events(Context ctx) {
        String year = single(ctx, "year");
        if (year != null) {
            Requests.year(year);
        }
        String dims = single(ctx, "dimension");
        Set<String> dimensions = null;
        if (dims != null) {
            dimensions = new LinkedHashSet<>();
            for (String d : dims.split(",")) {
                dimensions.add(Requests.dimension(d.trim()).name());
            }
        }
        SseHub.Filter filter = new SseHub.Filter(year, dimensions);
        // As Javalin's SseHandler does, but for any Accept header: curl works without -H.
        ctx.res().setStatus(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.res().addHeader("Cache-Control", "no-cache");
        ctx.res().addHeader("X-Accel-Buffering", "no");
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        try {
            ctx.res().flushBuffer();
        } catch (IOException e) {
            return;
        }
        hub.add(new SseClient(ctx), filter);
    }

    private ObjectNode thresholds() {
        ObjectNode out = Json.object().put("country", config.country()).put("zone", config.zone().getId());
        ArrayNode list = out.putArray("thresholds");
        rules.allThresholds().forEach((key, cents) -> {
            String[] dm = key.split("\\|", 2);
            ObjectNode t = list.addObject().put("dimension", dm[0]).put("member", dm[1]);
            ArrayNode values = t.putArray("thresholdsUsd");
            Arrays.stream(cents).forEach(c -> values.add(Money.format(c)));
        });
        return out;
    }

    /** Keeps the national-total gauge right when no total event arrived since start (or it was missed). */
    private void refreshNational() {
        try {
            Answer years = router.route("/api/v1/periods", false, queries::periods);
            if (years.status() != 200) {
                return;
            }
            JsonNode list = Json.tree(years.body()).path("years");
            if (list.isEmpty()) {
                return;
            }
            String year = list.get(0).asText();
            Answer total = router.route("/api/v1/totals/" + year, false, s -> queries.national(s, year));
            if (total.status() == 200) {
                live.offerNational(year, Money.toCents(new BigDecimal(Json.tree(total.body()).path("totalUsd").asText())));
            }
        } catch (RuntimeException e) {
            log.debug("National total refresh failed: {}", e.toString());
        }
    }

    private static String single(Context ctx, String name) {
        var values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " must be given once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON).header("Cache-Control", "no-store").result(body);
    }

    private void asset(Context ctx, String name) {
        byte[] body = assets.get(name);
        if (body != null && DEV_ASSETS != null) {
            try {
                body = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(DEV_ASSETS, name));
            } catch (IOException e) {
                log.warn("Cannot read {} from {}: {}", name, DEV_ASSETS, e.toString());
            }
        }
        if (body == null) {
            json(ctx, 404, Json.error("not found"));
            return;
        }
        ctx.header("Cache-Control", "no-cache").header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").contentType(ASSET_TYPES.get(name)).result(body);
    }

    private void loadAssets() {
        for (String name : ASSET_TYPES.keySet()) {
            assets.put(name, resource(DASHBOARD + name));
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = ServingServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the jar: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** True once the live-events consumer follows the output topics (tests wait for it). */
    boolean liveEventsFollowing() {
        return live.following();
    }
}
