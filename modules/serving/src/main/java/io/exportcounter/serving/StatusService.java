package io.exportcounter.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.pipeline.ExportCounterTopology;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.totals.TotalsProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/status}: the whole application as seen from any instance. Each instance reports its own
 * part (state, stage-2 role, waiting and rejected declarations) on an internal endpoint; the answering
 * instance gathers every member's, adds the consumer lag of the application on the input and internal
 * topics (from the broker, so it is the same everywhere) and sums.
 */
final class StatusService implements AutoCloseable {
    static final String INSTANCE_PATH = "/internal/v1/instance";
    private static final Logger log = LoggerFactory.getLogger(StatusService.class);
    private static final long LAG_CACHE_MS = 1_000;

    private final KafkaStreams streams;
    private final PipelineStats stats;
    private final HostInfo self;
    private final String selfName;
    private final String applicationId;
    private final byte[] countryKey;
    private final List<String> lagTopics;
    private final String changesTopic;
    private final Properties adminProps = new Properties();
    private final HttpClient http;
    /** http, or https when this application serves HTTPS. */
    private final String scheme;
    private final SseHub hub;
    /** {@code Bearer <token>} for the other instances, or null when the API has no token. */
    private final String authorization;
    private Admin admin;
    private long lagAt;
    private JsonNode lag;
    private volatile boolean everRunning;

    StatusService(KafkaStreams streams, PipelineStats stats, PipelineConfig config, Properties streamsProps, HostInfo self,
            String selfName, byte[] countryKey, SseHub hub, ServingTls.Peers peers) {
        this.streams = streams;
        this.http = peers.client();
        this.scheme = peers.scheme();
        this.stats = stats;
        this.self = self;
        this.selfName = selfName;
        this.countryKey = countryKey;
        this.hub = hub;
        this.authorization = ApiAccess.authorizationHeader(config.httpAuthToken());
        this.applicationId = streamsProps.getProperty("application.id");
        this.changesTopic = applicationId + "-" + ExportCounterTopology.CHANGES_TOPIC_NAME + "-repartition";
        this.lagTopics = List.of(config.declarationsTopic(), config.ratesTopic(), changesTopic);
        adminProps.putAll(PipelineRunner.adminProperties(config));
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-serving-status");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
    }

    /** Running or rebalancing after having run: the instance answers (it may forward). */
    boolean healthy() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING) {
            everRunning = true;
            return true;
        }
        return state == KafkaStreams.State.REBALANCING && everRunning;
    }

    String state() {
        return streams.state().name();
    }

    /** This instance's own part of the status. */
    ObjectNode instance() {
        ObjectNode out = Json.object().put("instance", selfName).put("state", state()).put("healthy", healthy())
                .put("stage2", stage2Role()).put("waitingDeclarations", stats.waitingNow())
                .put("rejected", stats.count(PipelineStats.Outcome.REJECTED)).put("liveEventsClients", hub.clients());
        ObjectNode outcomes = out.putObject("outcomes");
        for (PipelineStats.Outcome o : PipelineStats.Outcome.values()) {
            outcomes.put(o.name().toLowerCase(Locale.ROOT), stats.count(o));
        }
        ObjectNode milestones = out.putObject("milestonesEmitted");
        for (MilestoneKind k : MilestoneKind.values()) {
            for (MilestoneType t : MilestoneType.values()) {
                milestones.put(k.name() + "_" + t.name(), stats.milestonesEmitted(k, t));
            }
        }
        return out;
    }

    /** The whole application's status; the same from every instance. */
    ObjectNode cluster() {
        List<HostInfo> hosts = members();
        Map<HostInfo, CompletableFuture<JsonNode>> remote = new HashMap<>();
        for (HostInfo h : hosts) {
            if (!h.equals(self)) {
                remote.put(h, fetchInstance(h));
            }
        }
        List<ObjectNode> instances = new ArrayList<>();
        for (HostInfo h : hosts) {
            if (h.equals(self)) {
                instances.add(instance());
                continue;
            }
            try {
                instances.add((ObjectNode) remote.get(h).get(3, TimeUnit.SECONDS));
            } catch (Exception e) {
                instances.add(Json.object().put("instance", h.host() + ":" + h.port()).put("state", "UNREACHABLE")
                        .put("healthy", false));
            }
        }
        if (hosts.stream().noneMatch(h -> h.equals(self))) {
            instances.add(instance());
        }
        instances.sort((a, b) -> a.path("instance").asText().compareTo(b.path("instance").asText()));

        ObjectNode out = Json.object().put("state", clusterState(instances));
        out.put("totalsOwner", totalsOwner());
        long waiting = 0;
        long rejected = 0;
        for (ObjectNode i : instances) {
            waiting += i.path("waitingDeclarations").asLong(0);
            rejected += i.path("rejected").asLong(0);
        }
        out.put("waitingDeclarations", waiting);
        out.put("rejected", rejected);
        out.set("lag", lag());
        ArrayNode list = out.putArray("instances");
        instances.forEach(list::add);
        return out;
    }

    /** RUNNING when every instance is; otherwise the state of the first one that is not. */
    private static String clusterState(Collection<ObjectNode> instances) {
        for (ObjectNode i : instances) {
            String s = i.path("state").asText();
            if (!s.equals("RUNNING")) {
                return s;
            }
        }
        return "RUNNING";
    }

    private List<HostInfo> members() {
        Set<String> seen = new TreeSet<>();
        List<HostInfo> hosts = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                HostInfo h = m.hostInfo();
                if (h.port() > 0 && seen.add(h.host() + ":" + h.port())) {
                    hosts.add(h);
                }
            }
        } catch (RuntimeException e) {
            // not running: this instance alone
        }
        return hosts;
    }

    private CompletableFuture<JsonNode> fetchInstance(HostInfo h) {
        HttpRequest request = ApiAccess.authorized(HttpRequest.newBuilder(
                URI.create(scheme + "://" + h.host() + ":" + h.port() + INSTANCE_PATH)).timeout(Duration.ofSeconds(3)).GET(),
                authorization).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("status " + r.statusCode());
            }
            return Json.tree(r.body());
        });
    }

    private String totalsOwner() {
        try {
            KeyQueryMetadata md = streams.queryMetadataForKey(TotalsProcessor.TOTALS_STORE, countryKey, new ByteArraySerializer());
            if (md == null || md.activeHost() == null || md.activeHost().port() <= 0) {
                return null;
            }
            return md.activeHost().host() + ":" + md.activeHost().port();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String stage2Role() {
        try {
            TopicPartition changes = new TopicPartition(changesTopic, 0);
            String role = "none";
            for (ThreadMetadata t : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : t.activeTasks()) {
                    if (task.topicPartitions().contains(changes)) {
                        return "active";
                    }
                }
                for (TaskMetadata task : t.standbyTasks()) {
                    if (task.topicPartitions().contains(changes)) {
                        role = "standby";
                    }
                }
            }
            return role;
        } catch (RuntimeException e) {
            return "none";
        }
    }

    /**
     * Records the application has not processed yet, per topic: end offset (committed records only) minus
     * the application's committed offset. Cached for a second; null when the broker cannot be asked.
     */
    private synchronized JsonNode lag() {
        long now = System.currentTimeMillis();
        if (lag != null && now - lagAt < LAG_CACHE_MS) {
            return lag;
        }
        try {
            if (admin == null) {
                admin = Admin.create(adminProps);
            }
            Map<String, TopicDescription> topics = admin.describeTopics(lagTopics).allTopicNames().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            topics.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }));
            ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var ends = admin.listOffsets(latest, committedOnly).all().get(5, TimeUnit.SECONDS);
            var starts = admin.listOffsets(earliest, committedOnly).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<String, Long> byTopic = new TreeMap<>();
            long total = 0;
            for (TopicPartition tp : latest.keySet()) {
                long end = ends.get(tp).offset();
                long start = starts.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                long position = Math.max(start, c == null ? start : c.offset());
                long l = Math.max(0, end - position);
                byTopic.merge(tp.topic(), l, Long::sum);
                total += l;
            }
            ObjectNode out = Json.object().put("total", total);
            ObjectNode t = out.putObject("topics");
            byTopic.forEach(t::put);
            lag = out;
            lagAt = now;
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("Cannot read the application's lag: {}", e.toString());
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
