package io.exportcounter.contract.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemas the jar ships are well-formed 2020-12 schemas, and docs/schemas holds exactly the same files. */
class ShippedSchemasTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final Path PROJECT = Path.of(System.getProperty("project.root", "../.."));
    private static final Path SOURCES = PROJECT.resolve("modules/contract/src/main/resources/io/exportcounter/contract/schema");
    private static final Path DOCS = PROJECT.resolve("docs/schemas");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(RecordSchema.allById())
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    static Stream<String> files() {
        List<String> files = new ArrayList<>();
        files.add(RecordSchema.COMMON_FILE);
        for (RecordSchema s : RecordSchema.values()) {
            files.add(s.fileName());
        }
        return files.stream();
    }

    @Test
    void docsHoldTheShippedSchemasAndNothingElse() throws IOException {
        Set<String> expected = new TreeSet<>(files().toList());

        assertThat(schemaFiles(SOURCES)).as("schema files in %s", SOURCES).isEqualTo(expected);
        assertThat(schemaFiles(DOCS)).as("schema files in %s", DOCS).isEqualTo(expected);
        for (String file : expected) {
            assertThat(Files.readString(DOCS.resolve(file)))
                    .as("docs/schemas/%s must equal the shipped %s: copy it over (cp %s docs/schemas/)", file, file,
                            PROJECT.relativize(SOURCES.resolve(file)))
                    .isEqualTo(RecordSchema.read(file));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void isADraft2020_12SchemaWithItsId(String file) throws IOException {
        JsonNode schema = MAPPER.readTree(RecordSchema.read(file));

        assertThat(schema.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
        assertThat(schema.path("$id").asText()).isEqualTo(RecordSchema.BASE_ID + file);
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));
        assertThat(metaSchema.validate(schema)).as("%s against the 2020-12 meta-schema", file).isEmpty();
    }

    /** Validating each example resolves every $ref the schema uses; an example that breaks its schema is a bug too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void everyExampleIsValidAndEveryRefResolves(String file) throws IOException {
        JsonNode schema = MAPPER.readTree(RecordSchema.read(file));
        Schema compiled = REGISTRY.getSchema(SchemaLocation.of(RecordSchema.BASE_ID + file));
        List<String> refs = new ArrayList<>();
        collectRefs(schema, refs);

        for (JsonNode example : schema.path("examples")) {
            assertThat(compiled.validate(example)).as("example of %s: %s", file, example).isEmpty();
        }
        for (String ref : refs) {
            String target = ref.startsWith("#") ? RecordSchema.BASE_ID + file + ref : RecordSchema.BASE_ID + ref;
            assertThat(REGISTRY.getSchema(SchemaLocation.of(target)).getSchemaNode())
                    .as("%s: $ref %s", file, ref).isNotNull();
        }
    }

    @Test
    void allByIdHoldsEveryFileByItsId() {
        Map<String, String> all = RecordSchema.allById();

        assertThat(all).hasSize(RecordSchema.values().length + 1);
        all.forEach((id, text) -> assertThat(text).contains("\"$id\": \"" + id + "\""));
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

    private static Set<String> schemaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList());
        }
    }
}
