package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml is a valid AsyncAPI 3.0 document (the official JSON Schema of AsyncAPI 3.0.0,
 * validated offline), every {@code $ref} in it resolves, and it describes the topics the project really
 * has: every topic of the pipeline's and the notifier's config and of docker/config/topics.txt is a
 * channel with the partitions and cleanup policy it is created with, and each record's channel carries
 * the JSON Schema the contract jar ships for it.
 */
class AsyncApiDocumentTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Path DOCUMENT = ROOT.resolve("docs/asyncapi.yaml");
    private static final String ASYNCAPI_ID = "http://asyncapi.com/definitions/3.0.0/asyncapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OUTPUT_TOPICS_READ_COMMITTED = Set.of("export.totals", "export.milestones",
            "export.declarations.rejected", "export.forecasts", "export.notifications.delivered", "export.notifications.dead");

    private static JsonNode document;
    /** Channel by its address (the default topic name). */
    private static final Map<String, JsonNode> channels = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        document = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
        document.path("channels").forEach(c -> channels.put(c.path("address").asText(), c));
    }

    @Test
    void isValidAgainstTheOfficialAsyncApi_3_0_0_Schema() throws IOException {
        Schema asyncApi = officialSchema();

        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(asyncApi.validate(document)).as("docs/asyncapi.yaml against the AsyncAPI 3.0.0 schema").isEmpty();
    }

    @Test
    void theOfficialSchemaRejectsAMistake() throws IOException {
        // The validation above would pass on anything if the schema were not really applied.
        JsonNode broken = document.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("operations").path("pipelineSendTotals"))
                .put("action", "publish");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("channels").path("totals").path("bindings")
                .path("kafka")).put("partitions", 0);

        assertThat(officialSchema().validate(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyRefResolves() throws IOException {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        assertThat(refs).hasSizeGreaterThan(50);
        for (String ref : refs) {
            int hash = ref.indexOf('#');
            String file = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode target;
            if (file.isEmpty()) {
                target = document;
            } else {
                Path path = DOCUMENT.getParent().resolve(file).normalize();
                assertThat(path).as("file of $ref %s", ref).isRegularFile();
                target = JSON.readTree(path.toFile());
            }
            assertThat(target.at(pointer).isMissingNode()).as("$ref %s resolves", ref).isFalse();
        }
    }

    @Test
    void everyTopicOfTheConfigIsAChannel() throws IOException {
        Set<String> configured = new TreeSet<>();
        configured.addAll(topics(PipelineConfig.defaults().toProperties()));
        configured.addAll(topics(NotifierConfig.defaults().toProperties()));
        configured.addAll(topicsTxt().keySet());

        assertThat(configured).hasSizeGreaterThanOrEqualTo(9);
        assertThat(channels.keySet()).containsAll(configured);
        // ...and every channel is a configured topic or one of the contract's (export.forecasts before its writer is).
        Set<String> known = new TreeSet<>(configured);
        for (RecordSchema s : RecordSchema.values()) {
            s.defaultTopic().ifPresent(known::add);
        }
        assertThat(known).containsAll(channels.keySet());
    }

    @Test
    void channelsHaveThePartitionsAndConfigsTheTopicsAreCreatedWith() throws IOException {
        topicsTxt().forEach((topic, row) -> {
            JsonNode kafka = channels.get(topic).path("bindings").path("kafka");
            assertThat(kafka.path("partitions").asInt()).as("partitions of %s", topic).isEqualTo(Integer.parseInt(row[0]));
            Map<String, String> configs = new TreeMap<>();
            for (String kv : row[1].split(",")) {
                configs.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            Map<String, String> documented = new TreeMap<>();
            kafka.path("topicConfiguration").properties().forEach(e -> documented.put(e.getKey(),
                    e.getValue().isArray() ? String.join(",", JSON.convertValue(e.getValue(), String[].class))
                            : e.getValue().asText()));
            assertThat(documented).as("topic configuration of %s", topic).isEqualTo(configs);
        });
        assertThat(channels.get("export.forecasts").path("bindings").path("kafka").path("topicConfiguration")
                .path("cleanup.policy").get(0).asText()).isEqualTo("compact");
    }

    @Test
    void eachRecordTravelsOnItsChannelWithItsSchema() {
        for (RecordSchema s : RecordSchema.values()) {
            if (s.defaultTopic().isEmpty()) {
                continue;
            }
            JsonNode channel = channels.get(s.defaultTopic().get());
            assertThat(channel).as("channel %s", s.defaultTopic().get()).isNotNull();
            List<String> payloads = new ArrayList<>();
            channel.path("messages").forEach(m -> {
                JsonNode message = document.at(m.path("$ref").asText().substring(1));
                assertThat(message.path("payload").path("schemaFormat").asText())
                        .isEqualTo("application/schema+json;version=2020-12");
                payloads.add(message.path("payload").path("schema").path("$ref").asText());
            });
            assertThat(payloads).as("payload of %s", s.defaultTopic().get()).containsExactly("./schemas/" + s.fileName());
        }
        assertThat(payloadOf("export-counter.rates-by-week")).isEqualTo("./schemas/" + RecordSchema.EXCHANGE_RATE.fileName());
    }

    @Test
    void operationsSayWhoSendsAndWhoReceives() {
        Map<String, Set<String>> sends = new HashMap<>();
        Map<String, Set<String>> receives = new HashMap<>();
        document.path("operations").forEach(op -> {
            String topic = channelOf(op).path("address").asText();
            String who = op.path("tags").get(0).path("name").asText();
            (op.path("action").asText().equals("send") ? sends : receives).computeIfAbsent(topic, t -> new TreeSet<>()).add(who);
            JsonNode kafka = op.path("bindings").path("kafka");
            if (op.path("action").asText().equals("receive") && OUTPUT_TOPICS_READ_COMMITTED.contains(topic)) {
                assertThat(kafka.path("x-isolation-level").asText()).as("isolation of %s", op).isEqualTo("read_committed");
            }
            for (JsonNode m : op.path("messages")) {
                assertThat(m.path("$ref").asText()).as("messages of %s", op)
                        .startsWith("#/channels/" + channelName(op) + "/messages/");
            }
        });

        assertThat(sends.get("export.totals")).containsExactly("pipeline");
        assertThat(sends.get("export.milestones")).containsExactly("pipeline");
        assertThat(sends.get("export.declarations.rejected")).containsExactly("pipeline");
        assertThat(sends.get("export.forecasts")).containsExactly("pipeline");
        assertThat(receives.get("customs.export-declarations")).contains("pipeline");
        assertThat(receives.get("customs.exchange-rates")).contains("pipeline");
        assertThat(sends.get("customs.export-declarations")).containsExactly("customs systems");
        assertThat(receives.get("export.milestones")).contains("notifier", "alerting systems");
        assertThat(sends.get("export.notifications.delivered")).containsExactly("notifier");
        assertThat(sends.get("export.notifications.dead")).containsExactly("notifier");
    }

    @Test
    void keyExamplesMatchTheirPatterns() {
        document.path("components").path("messages").forEach(m -> {
            JsonNode key = m.path("bindings").path("kafka").path("key");
            assertThat(key.isMissingNode()).as("key of %s", m.path("name")).isFalse();
            if (key.has("pattern")) {
                Pattern pattern = Pattern.compile(key.path("pattern").asText());
                assertThat(key.path("examples")).as("examples of the key of %s", m.path("name")).isNotEmpty();
                key.path("examples").forEach(e -> assertThat(pattern.matcher(e.asText()).find())
                        .as("%s matches %s", e, pattern).isTrue());
            }
        });
    }

    private static String payloadOf(String topic) {
        JsonNode m = channels.get(topic).path("messages").elements().next();
        return document.at(m.path("$ref").asText().substring(1)).path("payload").path("schema").path("$ref").asText();
    }

    private static JsonNode channelOf(JsonNode operation) {
        return document.at(operation.path("channel").path("$ref").asText().substring(1));
    }

    private static String channelName(JsonNode operation) {
        return operation.path("channel").path("$ref").asText().substring("#/channels/".length());
    }

    /** The topic names among a config's {@code topics.*} keys. */
    private static Set<String> topics(Properties config) {
        Set<String> topics = new TreeSet<>();
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("topics.") && !Set.of("topics.create-missing", "topics.partitions",
                    "topics.replication-factor").contains(key)) {
                topics.add(config.getProperty(key));
            }
        }
        return topics;
    }

    /** docker/config/topics.txt: topic -> {partitions, configs}. */
    private static Map<String, String[]> topicsTxt() throws IOException {
        Map<String, String[]> rows = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docker/config/topics.txt"), StandardCharsets.UTF_8)) {
            String row = line.strip();
            if (!row.isEmpty() && !row.startsWith("#")) {
                String[] cols = row.split("\\s+");
                rows.put(cols[0], new String[] {cols[1], cols[2]});
            }
        }
        return rows;
    }

    /**
     * The official schema, read from the test resources. Its definitions carry their own {@code $id}s
     * (http://asyncapi.com/...); the registry is handed each of them, so nothing is fetched from the network.
     */
    private static Schema officialSchema() throws IOException {
        String text;
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode bundle = JSON.readTree(text);
        Map<String, String> byId = new HashMap<>();
        byId.put(ASYNCAPI_ID, text);
        bundle.path("definitions").properties().forEach(e -> byId.put(e.getKey(), e.getValue().toString()));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemas(byId));
        return registry.getSchema(SchemaLocation.of(ASYNCAPI_ID));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
