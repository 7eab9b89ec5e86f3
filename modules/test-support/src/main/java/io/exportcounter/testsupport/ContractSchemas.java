package io.exportcounter.testsupport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.exportcounter.contract.schema.RecordSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks what the project writes against the JSON Schemas the contract jar ships ({@link RecordSchema}).
 *
 * <p>A record is valid when its bytes are one JSON text in UTF-8 with no field name twice, and that value is
 * valid against its schema (draft 2020-12, formats asserted). {@link KafkaTopics} calls
 * {@link #assertValid(ConsumerRecord)} on every record it reads, so an integration test that reads an
 * output topic checks each record it reads without asking.
 */
public final class ContractSchemas {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Map<RecordSchema, Schema> SCHEMAS = compile();
    private static final int SHOWN_CHARS = 2_000;

    private ContractSchemas() {
    }

    /**
     * The schema of the records on an output topic, by the last dot-separated part of its name (so test
     * topics such as {@code e2e.milestones} or {@code t7.dead} count): {@code totals}, {@code milestones},
     * {@code rejected}, {@code forecasts}, {@code delivered}, {@code dead}. Empty for any other topic
     * (the input topics, which tests fill with bad records on purpose, and internal ones).
     */
    public static Optional<RecordSchema> forTopic(String topic) {
        String last = topic.substring(topic.lastIndexOf('.') + 1);
        return Optional.ofNullable(switch (last) {
            case "totals" -> RecordSchema.TOTAL;
            case "milestones" -> RecordSchema.MILESTONE;
            case "rejected" -> RecordSchema.REJECTION;
            case "forecasts" -> RecordSchema.FORECAST;
            case "delivered" -> RecordSchema.NOTIFICATION_DELIVERED;
            case "dead" -> RecordSchema.NOTIFICATION_DEAD_LETTER;
            default -> null;
        });
    }

    /**
     * Asserts that a record read from Kafka is valid against the schema of its topic ({@link #forTopic});
     * a topic without one is not checked. A null value is a tombstone, which only the compacted
     * delivery-record topic may carry.
     */
    public static void assertValid(ConsumerRecord<String, byte[]> record) {
        Optional<RecordSchema> schema = forTopic(record.topic());
        if (schema.isEmpty()) {
            return;
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset() + " (key " + record.key() + ")";
        if (record.value() == null) {
            if (schema.get() != RecordSchema.NOTIFICATION_DELIVERED) {
                throw new AssertionError(where + " has no value: a " + schema.get() + " record must have one");
            }
            return;
        }
        assertValid(schema.get(), record.value(), where);
    }

    /** Asserts every record of {@code records} ({@link #assertValid(ConsumerRecord)}); returns them. */
    public static List<ConsumerRecord<String, byte[]>> assertValid(List<ConsumerRecord<String, byte[]>> records) {
        records.forEach(ContractSchemas::assertValid);
        return records;
    }

    /** Asserts that {@code json} is a valid {@code schema} record. */
    public static void assertValid(RecordSchema schema, byte[] json) {
        assertValid(schema, json, "record");
    }

    /** Asserts that {@code json} (UTF-8 text) is a valid {@code schema} record. */
    public static void assertValid(RecordSchema schema, String json) {
        assertValid(schema, json.getBytes(StandardCharsets.UTF_8), "record");
    }

    /** Why {@code json} is not a valid {@code schema} record, one line per violation; empty when it is one. */
    public static List<String> violations(RecordSchema schema, byte[] json) {
        JsonNode node;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
            node = MAPPER.readTree(text);
        } catch (CharacterCodingException e) {
            return List.of("not UTF-8");
        } catch (JsonProcessingException e) {
            return List.of("not one JSON text: " + e.getOriginalMessage());
        } catch (IOException e) {
            return List.of("not one JSON text: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return List.of("not one JSON text: empty");
        }
        return SCHEMAS.get(schema).validate(node).stream().map(ContractSchemas::describe).toList();
    }

    private static void assertValid(RecordSchema schema, byte[] json, String where) {
        List<String> violations = violations(schema, json);
        if (!violations.isEmpty()) {
            String text = new String(json, StandardCharsets.UTF_8);
            throw new AssertionError(where + " is not a valid " + schema + " (" + schema.fileName() + "): "
                    + violations.size() + " violation" + (violations.size() == 1 ? "" : "s") + "\n  - "
                    + String.join("\n  - ", violations) + "\n  record: "
                    + (text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text));
        }
    }

    private static String describe(Error e) {
        String at = e.getInstanceLocation().toString();
        return (at.isEmpty() ? "/" : at) + ": " + e.getMessage() + " [schema " + e.getEvaluationPath() + "]";
    }

    private static Map<RecordSchema, Schema> compile() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(RecordSchema.allById())
                        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        Map<RecordSchema, Schema> schemas = new EnumMap<>(RecordSchema.class);
        for (RecordSchema s : RecordSchema.values()) {
            Schema schema = registry.getSchema(SchemaLocation.of(s.id().toString()));
            schema.initializeValidators(); // resolve every $ref now: a broken schema fails here, not mid-test
            schemas.put(s, schema);
        }
        return schemas;
    }
}
