package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import io.exportcounter.contract.schema.RecordSchema;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The output schemas have teeth: records ContractJson really writes are valid, and the same records with
 * a field removed, renamed, added or mistyped are not. And nothing the Java records can write is missing
 * from the schemas: a milestone with every v2 field set breaks only the rules that tie fields to kinds.
 */
class SchemaTeethTest {
    private static final ContractJson JSON = ContractJson.instance();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneOffset KST = ZoneOffset.ofHours(9);
    private static final OffsetDateTime AT = OffsetDateTime.of(2025, 12, 29, 13, 3, 27, 0, KST);
    private static final Instant DETECTED = Instant.parse("2025-12-29T04:03:27.412Z");

    record Written(String description, RecordSchema schema, byte[] json) {
        @Override
        public String toString() {
            return description;
        }
    }

    static List<Written> written() {
        List<Written> all = new ArrayList<>();
        all.add(new Written("national total", RecordSchema.TOTAL, JSON.write(new Total("2025", Dimension.NATIONAL, "KR",
                new BigDecimal("700000001234.56"), 123_456, AT, 96_000L))));
        all.add(new Written("category total", RecordSchema.TOTAL, JSON.write(new Total("2025-11", Dimension.CATEGORY,
                "SEMICONDUCTORS", new BigDecimal("17345678901.20"), 3_456, AT, null))));
        all.add(new Written("exporter-size total", RecordSchema.TOTAL, JSON.write(new Total("2025", Dimension.EXPORTER_SIZE,
                "UNKNOWN", new BigDecimal("0.00"), 0, null, 0L))));
        for (Milestone m : milestonesOfEveryKind()) {
            all.add(new Written(m.kind() + " " + m.type() + " " + m.milestoneId(), RecordSchema.MILESTONE, JSON.write(m)));
        }
        all.add(new Written("rejection with the value as text", RecordSchema.REJECTION, JSON.write(new Rejection(
                "fobAmount must be a positive decimal", "fobAmount", "customs.export-declarations", 3, 81_723,
                "43210-25-0123456X", "{\"fobAmount\":\"0\"}", null, DETECTED))));
        all.add(new Written("rejection of bytes that are not UTF-8", RecordSchema.REJECTION, JSON.write(Rejections.of(
                new InvalidRecordException(null, "record is not valid UTF-8"), "customs.exchange-rates", 0, 7,
                null, new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'}, DETECTED))));
        all.add(new Written("rejection without position", RecordSchema.REJECTION, JSON.write(new Rejection(
                "record has no value (null)", null, "customs.export-declarations", -1, -1, "k", null, null, DETECTED))));
        all.add(new Written("accepted declaration", RecordSchema.EXPORT_DECLARATION, JSON.write(new ExportDeclaration(
                "43210-25-0123456X", 0, Action.ACCEPT, AT, "1208812345", ExporterSize.UNKNOWN, "8542321010", "US", "EUR",
                new BigDecimal("1250000.0001")))));
        all.add(new Written("cancelled declaration", RecordSchema.EXPORT_DECLARATION,
                JSON.write(ExportDeclaration.cancel("43210-25-0123456X", 4))));
        all.add(new Written("exchange rate", RecordSchema.EXCHANGE_RATE,
                JSON.write(new ExchangeRate("JPY", new BigDecimal("9.12345678"), AT))));
        return all;
    }

    /** One realistic milestone of each kind, as the pipeline writes them; together they set every v2 field. */
    static List<Milestone> milestonesOfEveryKind() {
        BigDecimal b700 = new BigDecimal("700000000000.00");
        BigDecimal total = new BigDecimal("700000001234.56");
        Milestone threshold = new Milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD, MilestoneType.CROSSED,
                "2025", Dimension.NATIONAL, "KR", b700, total, AT, "1:03 p.m.", "43210-25-0123456X", DETECTED, true,
                Milestone.Story.threshold(true, null, new BigDecimal("600000000000.00"), "2018").withSince("1992"));
        Milestone reached = threshold.withStory(Milestone.Story.threshold(false, "2022", null, null));
        Milestone retracted = new Milestone("2025|CATEGORY|SEMICONDUCTORS|150000000000", MilestoneKind.THRESHOLD,
                MilestoneType.RETRACTED, "2025", Dimension.CATEGORY, "SEMICONDUCTORS", new BigDecimal("150000000000.00"),
                new BigDecimal("149999999999.99"), AT, "1:03 p.m.", "43210-25-0123457A", DETECTED, true);
        Milestone monthly = new Milestone("2025-06|NATIONAL|KR|RECORD", MilestoneKind.MONTHLY_RECORD, MilestoneType.CROSSED,
                "2025-06", Dimension.NATIONAL, "KR", new BigDecimal("68200000000.00"), new BigDecimal("68200000000.01"),
                AT.withMonth(6), "1:03 p.m.", "43210-25-0123456X", DETECTED, true, Milestone.Story.record("2022-03", "1992"));
        Milestone annual = new Milestone("2025|NATIONAL|KR|ANNUAL_RECORD", MilestoneKind.ANNUAL_RECORD, MilestoneType.CROSSED,
                "2025", Dimension.NATIONAL, "KR", new BigDecimal("683600000000.00"), new BigDecimal("683610000000.00"),
                AT, "8:59 a.m.", "43210-25-0123456X", DETECTED, true, Milestone.Story.record("2024", "1995"));
        Milestone calendarMonth = new Milestone("2025-11|NATIONAL|KR|CALENDAR_MONTH_RECORD",
                MilestoneKind.CALENDAR_MONTH_RECORD, MilestoneType.CROSSED, "2025-11", Dimension.NATIONAL, "KR",
                new BigDecimal("60400000000.00"), new BigDecimal("60800000000.00"), AT.withMonth(11), "6:52 p.m.",
                "43210-25-0123456X", DETECTED, true, Milestone.Story.record("2021-11", "2018").withStreak(6));
        OffsetDateTime q4 = OffsetDateTime.of(2025, 10, 1, 0, 0, 0, 0, KST);
        Milestone ytdValue = new Milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE",
                MilestoneKind.YEAR_TO_DATE_RECORD, MilestoneType.CROSSED, "2025-Q3", Dimension.EXPORTER_SIZE, "SME",
                new BigDecimal("84600000000.00"), new BigDecimal("89300000000.00"), q4, "12:00 a.m.", null, DETECTED, true,
                new Milestone.Story(null, null, null, null, "2024-Q3", "2024", null, RecordMeasure.VALUE, null, null));
        Milestone ytdExporters = new Milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS",
                MilestoneKind.YEAR_TO_DATE_RECORD, MilestoneType.CROSSED, "2025-Q3", Dimension.EXPORTER_SIZE, "SME",
                new BigDecimal("0.00"), new BigDecimal("89300000000.00"), q4, "12:00 a.m.", null, DETECTED, true,
                new Milestone.Story(null, null, null, null, "2024-Q3", "2021", null, RecordMeasure.EXPORTERS, 96_000L, 95_500L));
        return List.of(threshold, reached, retracted, monthly, annual, calendarMonth, ytdValue, ytdExporters);
    }

    static Stream<Written> writtenRecords() {
        return written().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenRecords")
    void whatContractJsonWritesIsValid(Written w) {
        assertThat(SchemaCheck.violations(w.schema(), w.json())).as("%s: %s", w, Fixtures.text(w.json())).isEmpty();
    }

    static Stream<Arguments> outputFields() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (Written w : written()) {
            if (w.schema() == RecordSchema.EXPORT_DECLARATION || w.schema() == RecordSchema.EXCHANGE_RATE) {
                continue;
            }
            Iterator<String> names = MAPPER.readTree(w.json()).fieldNames();
            while (names.hasNext()) {
                cases.add(Arguments.of(w, names.next()));
            }
        }
        JsonNode forecast = MAPPER.readTree(RecordSchema.FORECAST.text()).path("examples").get(0);
        Written example = new Written("forecast (contract example)", RecordSchema.FORECAST, MAPPER.writeValueAsBytes(forecast));
        forecast.fieldNames().forEachRemaining(name -> cases.add(Arguments.of(example, name)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} renamed")
    @MethodSource("outputFields")
    void aRenamedFieldFails(Written w, String field) throws IOException {
        ObjectNode record = (ObjectNode) MAPPER.readTree(w.json());
        JsonNode value = record.remove(field);
        record.set(Character.toUpperCase(field.charAt(0)) + field.substring(1), value);

        assertThat(SchemaCheck.violations(w.schema(), record)).as("%s with %s renamed", w, field).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}: without {1}")
    @MethodSource("outputFields")
    void aMissingFieldFailsWhereTheSchemaRequiresIt(Written w, String field) throws IOException {
        ObjectNode record = (ObjectNode) MAPPER.readTree(w.json());
        record.remove(field);
        boolean required = requiredOf(w.schema(), MAPPER.readTree(w.json())).contains(field);

        assertThat(SchemaCheck.violations(w.schema(), record)).as("%s without %s (required: %s)", w, field, required)
                .matches(v -> v.isEmpty() != required, required ? "not empty" : "empty");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenRecords")
    void anExtraFieldFailsOnOutputsAndPassesOnInputs(Written w) throws IOException {
        ObjectNode record = (ObjectNode) MAPPER.readTree(w.json());
        record.put("comment", "an extra field");
        boolean input = w.schema() == RecordSchema.EXPORT_DECLARATION || w.schema() == RecordSchema.EXCHANGE_RATE;

        assertThat(SchemaCheck.violations(w.schema(), record).isEmpty()).as("%s with an extra field", w).isEqualTo(input);
    }

    @Test
    void mistypedValuesFail() throws IOException {
        byte[] milestone = JSON.write(milestonesOfEveryKind().get(0));
        byte[] total = writtenAs("national total");
        assertBreaks(RecordSchema.MILESTONE, milestone, "totalUsd", MAPPER.getNodeFactory().numberNode(new BigDecimal("700000001234.56")));
        assertBreaks(RecordSchema.MILESTONE, milestone, "totalUsd", MAPPER.getNodeFactory().textNode("700000001234.5"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "totalUsd", MAPPER.getNodeFactory().textNode("-1.00"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "crossedAtLocalTime", MAPPER.getNodeFactory().textNode("13:03"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "crossedAtLocalTime", MAPPER.getNodeFactory().textNode("1:03 PM"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "detectedAt", MAPPER.getNodeFactory().textNode("2025-12-29T04:03:27Z"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "crossedAt", MAPPER.getNodeFactory().textNode("2025-12-29T13:03:27"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "kind", MAPPER.getNodeFactory().textNode("RECORD"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "period", MAPPER.getNodeFactory().textNode("2025-12"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "milestoneId", MAPPER.getNodeFactory().textNode("2025|NATIONAL|KR|RECORD"));
        assertBreaks(RecordSchema.MILESTONE, milestone, "declarationId", MAPPER.getNodeFactory().nullNode());
        assertBreaks(RecordSchema.MILESTONE, milestone, "firstTime", MAPPER.getNodeFactory().nullNode());
        assertBreaks(RecordSchema.MILESTONE, milestone, "member", MAPPER.getNodeFactory().textNode("KOR"));
        assertBreaks(RecordSchema.TOTAL, total, "declarations", MAPPER.getNodeFactory().numberNode(-1));
        assertBreaks(RecordSchema.TOTAL, total, "exporters", MAPPER.getNodeFactory().nullNode());
        assertBreaks(RecordSchema.TOTAL, total, "period", MAPPER.getNodeFactory().textNode("2025-Q3"));
        assertBreaks(RecordSchema.TOTAL, total, "dimension", MAPPER.getNodeFactory().textNode("CATEGORY"));
    }

    @Test
    void aRejectionHasItsValueAsTextOrAsBase64NotBoth() throws IOException {
        byte[] rejection = JSON.write(new Rejection("r", null, "customs.export-declarations", 0, 0, null, "{}", null, DETECTED));

        assertBreaks(RecordSchema.REJECTION, rejection, "valueBase64", MAPPER.getNodeFactory().textNode("e30="));
        assertBreaks(RecordSchema.REJECTION, rejection, "valueBase64", MAPPER.getNodeFactory().textNode("%%%"));
    }

    @Test
    void everyFieldTheJavaRecordsWriteIsInTheSchemas() throws IOException {
        Milestone everything = milestonesOfEveryKind().get(0).withStory(new Milestone.Story(true, "2018",
                new BigDecimal("600000000000.00"), "2018", "2024", "1992", 6, RecordMeasure.EXPORTERS, 96_000L, 95_500L));
        JsonNode written = MAPPER.readTree(JSON.write(everything));
        List<Error> errors = SchemaCheck.errors(RecordSchema.MILESTONE, written);

        assertThat(fieldNames(written)).as("a milestone with every field set writes every record component")
                .isEqualTo(componentNames(Milestone.class, Milestone.Story.class));
        assertThat(fieldNames(written)).isEqualTo(propertiesOf(RecordSchema.MILESTONE));
        // Only the kind's rules object (a THRESHOLD carries no record fields), not an unknown or mistyped field.
        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.getEvaluationPath().toString())
                .as("%s", e).matches("/allOf/[0-9]+/then/properties/.*"));
        assertThat(errors).extracting(e -> e.getInstanceLocation().toString()).containsExactlyInAnyOrder(
                "/recordPeriod", "/streak", "/measure", "/exporters", "/previousBestExporters");

        Set<String> setByRealMilestones = new TreeSet<>();
        for (Milestone m : milestonesOfEveryKind()) {
            setByRealMilestones.addAll(fieldNames(MAPPER.readTree(JSON.write(m))));
        }
        assertThat(setByRealMilestones).as("the valid milestones of every kind together set every field")
                .isEqualTo(propertiesOf(RecordSchema.MILESTONE));

        assertThat(fieldNames(MAPPER.readTree(writtenAs("national total")))).isEqualTo(componentNames(Total.class))
                .isEqualTo(propertiesOf(RecordSchema.TOTAL));
        assertThat(fieldNames(MAPPER.readTree(writtenAs("rejection of bytes that are not UTF-8"))))
                .isEqualTo(componentNames(Rejection.class)).isEqualTo(propertiesOf(RecordSchema.REJECTION));
        // correctedAt is read from amendedAt (an AMEND) or cancelledAt (a CANCEL)
        Set<String> declarationFields = new TreeSet<>(componentNames(ExportDeclaration.class));
        declarationFields.remove("correctedAt");
        declarationFields.addAll(List.of("amendedAt", "cancelledAt"));
        assertThat(declarationFields).isEqualTo(propertiesOf(RecordSchema.EXPORT_DECLARATION));
        assertThat(componentNames(ExchangeRate.class)).isEqualTo(propertiesOf(RecordSchema.EXCHANGE_RATE));
    }

    private static byte[] writtenAs(String description) {
        return written().stream().filter(w -> w.description().equals(description)).findFirst().orElseThrow().json();
    }

    private static void assertBreaks(RecordSchema schema, byte[] json, String field, JsonNode value) throws IOException {
        ObjectNode record = (ObjectNode) MAPPER.readTree(json);
        assertThat(SchemaCheck.violations(schema, record)).as("the record before the edit").isEmpty();
        record.set(field, value);
        assertThat(SchemaCheck.violations(schema, record)).as("%s with %s = %s", schema, field, value).isNotEmpty();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> componentNames(Class<?>... records) {
        Set<String> names = new TreeSet<>();
        for (Class<?> r : records) {
            for (RecordComponent c : r.getRecordComponents()) {
                names.add(c.getName());
            }
        }
        names.remove("story");
        return names;
    }

    /** The names a schema declares: its own properties and those of its else branch (a declaration's). */
    private static Set<String> propertiesOf(RecordSchema schema) throws IOException {
        JsonNode s = MAPPER.readTree(schema.text());
        Set<String> names = fieldNames(s.path("properties"));
        names.addAll(fieldNames(s.path("else").path("properties")));
        return names;
    }

    /** The fields {@code record} must have: its schema's required ones and, on a milestone, its kind's. */
    private static Set<String> requiredOf(RecordSchema schema, JsonNode record) throws IOException {
        Set<String> names = new TreeSet<>();
        MAPPER.readTree(schema.text()).path("required").forEach(n -> names.add(n.asText()));
        if (schema == RecordSchema.TOTAL) {
            names.add("exporters"); // on the NATIONAL and EXPORTER_SIZE totals, the only ones that write it
        }
        if (schema == RecordSchema.MILESTONE) {
            names.addAll(switch (MilestoneKind.valueOf(record.path("kind").asText())) {
                case THRESHOLD -> List.<String>of();
                case MONTHLY_RECORD, ANNUAL_RECORD -> List.of("recordPeriod");
                case CALENDAR_MONTH_RECORD -> List.of("recordPeriod", "streak");
                case YEAR_TO_DATE_RECORD -> record.path("measure").asText().equals("EXPORTERS")
                        ? List.of("recordPeriod", "measure", "exporters", "previousBestExporters")
                        : List.of("recordPeriod", "measure");
            });
        }
        return names;
    }
}
