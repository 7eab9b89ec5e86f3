package io.exportcounter.contract;

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

/**
 * A record checked the way any consumer's JSON Schema validator checks it: the bytes must be one JSON text
 * in UTF-8 (RFC 8259), and the value it denotes must be valid against the record's schema. A repeated field
 * name is not an error here: in JSON's data model an object has each name once, and the parser keeps the
 * last (test-support's {@code ContractSchemas}, which checks what the project writes, refuses them).
 */
final class SchemaCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(RecordSchema.allById())
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<RecordSchema, Schema> SCHEMAS = new EnumMap<>(RecordSchema.class);

    static {
        for (RecordSchema s : RecordSchema.values()) {
            SCHEMAS.put(s, REGISTRY.getSchema(SchemaLocation.of(s.id().toString())));
        }
    }

    private SchemaCheck() {
    }

    /** Why {@code bytes} is not a valid {@code schema} record: empty when it is one. */
    static List<String> violations(RecordSchema schema, byte[] bytes) {
        JsonNode node;
        try {
            node = parse(bytes);
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
        return violations(schema, node);
    }

    static List<String> violations(RecordSchema schema, JsonNode node) {
        return SCHEMAS.get(schema).validate(node).stream().map(SchemaCheck::describe).toList();
    }

    /** Every error with where the schema said it, so a test can tell kinds of violation apart. */
    static List<Error> errors(RecordSchema schema, JsonNode node) {
        return SCHEMAS.get(schema).validate(node);
    }

    static JsonNode parse(byte[] bytes) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        return MAPPER.readTree(text);
    }

    private static String describe(Error e) {
        String at = e.getInstanceLocation().toString();
        return (at.isEmpty() ? "/" : at) + ": " + e.getMessage() + " (" + e.getEvaluationPath() + ")";
    }
}
