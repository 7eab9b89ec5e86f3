package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.exportcounter.pipeline.totals.TotalsProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a store query on whichever instance holds the stage-2 stores: here when this instance runs
 * stage 2, otherwise by forwarding the same request to the active owner (then to standbys, which answer
 * from their possibly stale copy). A forwarded request carries {@link #FORWARDED} and is always answered
 * locally, so a request is forwarded at most once, even while instances disagree during a rebalance.
 */
final class QueryRouter {
    static final String FORWARDED = "X-Export-Counter-Forwarded";
    static final String STALE = "X-Export-Counter-Stale";
    static final String SERVED_BY = "X-Export-Counter-Served-By";

    private static final Logger log = LoggerFactory.getLogger(QueryRouter.class);

    private final KafkaStreams streams;
    private final LocalStores stores;
    /** This instance's advertised application.server; null when it advertises none (then it answers alone). */
    private final HostInfo self;
    private final String selfName;
    private final byte[] countryKey;
    private final HttpClient http;
    /** http, or https when this application serves HTTPS. */
    private final String scheme;
    /** {@code Bearer <token>} for the other instances, or null when the API has no token. */
    private final String authorization;
    private final AtomicBoolean warnedRefused = new AtomicBoolean();

    QueryRouter(KafkaStreams streams, LocalStores stores, HostInfo self, String selfName, byte[] countryKey,
            String authorization, ServingTls.Peers peers) {
        this.authorization = authorization;
        this.streams = streams;
        this.stores = stores;
        this.self = self;
        this.selfName = selfName;
        this.countryKey = countryKey;
        this.http = peers.client();
        this.scheme = peers.scheme();
    }

    /**
     * The answer to {@code pathAndQuery} (already validated), computed by {@code query} on the instance
     * holding the stores.
     */
    Answer route(String pathAndQuery, boolean forwarded, Function<LocalStores.Snapshot, JsonNode> query) {
        if (forwarded) {
            return local(query, true).orElseGet(QueryRouter::unavailable);
        }
        KeyQueryMetadata md = metadata();
        if (md != null) {
            List<HostInfo> candidates = new ArrayList<>();
            candidates.add(md.activeHost());
            candidates.addAll(md.standbyHosts());
            for (HostInfo host : candidates) {
                boolean active = host.equals(md.activeHost());
                Optional<Answer> a = host.equals(self) ? local(query, !active) : forward(host, pathAndQuery);
                if (a.isPresent()) {
                    return a.get();
                }
            }
        }
        // No owner could answer (rebalancing, owner down): a copy here, however stale, beats nothing.
        return local(query, true).orElseGet(QueryRouter::unavailable);
    }

    private KeyQueryMetadata metadata() {
        try {
            KeyQueryMetadata md = streams.queryMetadataForKey(TotalsProcessor.TOTALS_STORE, countryKey,
                    new ByteArraySerializer());
            if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null
                    || md.activeHost().port() <= 0) {
                return null;
            }
            return md;
        } catch (RuntimeException e) {
            // Not running yet, or shutting down.
            return null;
        }
    }

    private Optional<Answer> local(Function<LocalStores.Snapshot, JsonNode> query, boolean allowStale) {
        Optional<LocalStores.Snapshot> snapshot = stores.open(allowStale);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        LocalStores.Snapshot s = snapshot.get();
        try {
            return Optional.of(Answer.ok(query.apply(s)).withSource(s.stale(), selfName));
        } catch (ApiException e) {
            if (e.status() == 404 && s.stale()) {
                // A copy still being restored or caught up cannot tell "not yet here" from "does not exist":
                // let another copy answer, or say the totals are not available right now (503).
                return Optional.empty();
            }
            return Optional.of(Answer.error(e.status(), e.getMessage()).withSource(s.stale(), selfName));
        } catch (InvalidStateStoreException e) {
            // The task moved away while we were reading.
            return Optional.empty();
        }
    }

    private Optional<Answer> forward(HostInfo host, String pathAndQuery) {
        HttpRequest request = ApiAccess.authorized(HttpRequest.newBuilder(
                URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery)).timeout(Duration.ofSeconds(5))
                .header(FORWARDED, "1").header("Accept", "application/json").GET(), authorization).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401) {
                // Our caller's token was good here: the other instance has another one (or none of ours).
                if (warnedRefused.compareAndSet(false, true)) {
                    log.warn("Instance {}:{} refused this instance's token: every instance needs the same http.auth.token",
                            host.host(), host.port());
                }
                return Optional.empty();
            }
            if (response.statusCode() == 503 || response.statusCode() >= 500) {
                return Optional.empty();
            }
            boolean stale = response.headers().firstValue(STALE).map(Boolean::parseBoolean).orElse(false);
            String servedBy = response.headers().firstValue(SERVED_BY).orElse(host.host() + ":" + host.port());
            return Optional.of(new Answer(response.statusCode(), response.body(), stale, servedBy));
        } catch (IOException e) {
            log.debug("Instance {}:{} did not answer {}: {}", host.host(), host.port(), pathAndQuery, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Answer unavailable() {
        return Answer.error(503, "the totals are not available on any instance right now (starting or rebalancing); try again shortly");
    }
}
