package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.cancel;
import static io.exportcounter.contract.Fixtures.declaration;
import static io.exportcounter.contract.Fixtures.rate;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.schema.RecordSchema;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The input schemas say what the codec says: every bad input of {@link DeclarationParsingTest} and
 * {@link ExchangeRateParsingTest} (their tables, read from the tests themselves, so a new row is checked
 * here too), every valid input of those tests, and the edge cases of the schemas' own patterns, each
 * go through both {@link ContractJson} and the JSON Schema ({@link SchemaCheck}): what one rejects the
 * other rejects. Where they legitimately differ the case is listed in {@link #DIFFERENCES} with the
 * reason, and there the schema must accept what the codec rejects, never the other way round; a listed
 * case where they agree fails too, so the list stays true. docs/schemas/README.md lists the same.
 */
class SchemaAgreesWithCodecTest {

    private static final ContractJson JSON = ContractJson.instance();

    /** What a JSON Schema cannot say and the codec checks (docs/schemas/README.md, "Schema and codec"). */
    enum Difference {
        DUPLICATE_NAME("a field name appears twice: JSON Schema validates the parsed value, in which an object has each"
                + " name once (the parser keeps the last); the codec rejects the record"),
        INTEGER_LITERAL("1.0 and 1e2 are integers in JSON Schema's data model (a number with no fraction);"
                + " the codec wants an integer literal"),
        UNASSIGNED_CODE("the schema checks the form of an ISO 3166 or ISO 4217 code; whether it is assigned is the"
                + " codec's check against the JDK's ISO tables, which follow ISO's changes with JDK updates");

        final String reason;

        Difference(String reason) {
            this.reason = reason;
        }
    }

    /** The cases where the two legitimately differ, by the description the case has below. */
    static final Map<String, Difference> DIFFERENCES = Map.ofEntries(
            Map.entry("declaration: duplicate fobAmount", Difference.DUPLICATE_NAME),
            Map.entry("declaration: duplicate declarationId", Difference.DUPLICATE_NAME),
            Map.entry("declaration: duplicate unknown field", Difference.DUPLICATE_NAME),
            Map.entry("declaration: CANCEL with duplicate revision", Difference.DUPLICATE_NAME),
            Map.entry("rate: duplicate currency", Difference.DUPLICATE_NAME),
            Map.entry("declaration: revision 1.0", Difference.INTEGER_LITERAL),
            Map.entry("declaration: revision 1e2", Difference.INTEGER_LITERAL),
            Map.entry("declaration: currency unknown", Difference.UNASSIGNED_CODE),
            Map.entry("declaration: currency XXY, unassigned", Difference.UNASSIGNED_CODE),
            Map.entry("declaration: destination unknown", Difference.UNASSIGNED_CODE),
            Map.entry("rate: currency unknown", Difference.UNASSIGNED_CODE));

    record Case(String description, RecordSchema schema, byte[] input) {
        @Override
        public String toString() {
            return description;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schemaAndCodecGiveTheSameVerdict(Case c) {
        String codecError = codecError(c);
        List<String> violations = SchemaCheck.violations(c.schema(), c.input());
        Difference difference = DIFFERENCES.get(c.description());

        if (difference == null) {
            assertThat(violations.isEmpty())
                    .as("%s: the codec %s, the schema %s", c, codecError == null ? "accepts it" : "rejects it (" + codecError + ")",
                            violations.isEmpty() ? "accepts it" : "rejects it " + violations)
                    .isEqualTo(codecError == null);
        } else {
            assertThat(codecError).as("%s is listed (%s): the codec must reject it", c, difference).isNotNull();
            assertThat(violations).as("%s is listed (%s): the schema must accept it", c, difference).isEmpty();
        }
    }

    @Test
    void everyListedDifferenceIsACase() {
        Set<String> descriptions = cases().map(a -> ((Case) a.get()[0]).description()).collect(Collectors.toSet());
        assertThat(descriptions).containsAll(DIFFERENCES.keySet());
    }

    @Test
    void casesAreManyAndUniquelyNamed() {
        List<String> descriptions = cases().map(a -> ((Case) a.get()[0]).description()).toList();
        assertThat(new TreeSet<>(descriptions)).hasSameSizeAs(descriptions);
        assertThat(descriptions).hasSizeGreaterThan(150);
    }

    static Stream<Arguments> cases() {
        List<Case> all = new ArrayList<>();
        RecordSchema d = RecordSchema.EXPORT_DECLARATION;
        RecordSchema r = RecordSchema.EXCHANGE_RATE;
        try {
            // DeclarationParsingTest's table of one-field edits and its list of whole-record cases.
            for (String[] row : table(DeclarationParsingTest.class.getDeclaredMethod("rejectsABadField", String.class,
                    String.class, String.class, String.class, String.class))) {
                all.add(new Case("declaration: " + row[0], d, declaration().edit(row[1], row[2], row[3]).bytes()));
            }
            DeclarationParsingTest.badDeclarations().forEach(a ->
                    all.add(new Case("declaration: " + a.get()[0], d, (byte[]) a.get()[1])));
            // ExchangeRateParsingTest's tables.
            for (String[] row : table(ExchangeRateParsingTest.class.getDeclaredMethod("rejectsBadRate", String.class,
                    String.class, String.class, String.class, String.class, String.class))) {
                all.add(new Case("rate: " + row[0], r, rate().edit(row[1], row[2], row[3]).bytes()));
            }
            for (String[] row : table(ExchangeRateParsingTest.class.getDeclaredMethod("rejectsBadRateAsAWhole",
                    String.class, String.class, String.class))) {
                all.add(new Case("rate: " + row[0], r, utf8(row[1])));
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a parsing test's table moved: " + e.getMessage(), e);
        }
        byte[] notUtf8Rate = rate().bytes();
        notUtf8Rate[notUtf8Rate.length - 3] = (byte) 0xFF;
        all.add(new Case("rate: not UTF-8", r, notUtf8Rate));
        all.add(new Case("declaration: two bad fields", d, declaration().str("fobAmount", "0").str("currency", "usd").bytes()));

        all.addAll(validDeclarations());
        all.addAll(validRates());
        all.addAll(edgesOfThePatterns());
        return all.stream().map(Arguments::of);
    }

    /** The valid inputs of DeclarationParsingTest. */
    private static List<Case> validDeclarations() {
        RecordSchema d = RecordSchema.EXPORT_DECLARATION;
        return List.of(
                new Case("declaration: the contract example", d, declaration().bytes()),
                new Case("declaration: an amend", d, declaration().str("action", "AMEND").put("revision", "7")
                        .str("destination", "VN").str("currency", "EUR").str("fobAmount", "99.5").str("exporterSize", "LARGE")
                        .bytes()),
                new Case("declaration: a cancel with its three fields", d, cancel().bytes()),
                new Case("declaration: a cancel with stale and broken extra fields", d, cancel()
                        .put("acceptedAt", "\"yesterday\"").put("exporterId", "\"\"").put("exporterSize", "\"TINY\"")
                        .put("hsCode", "[1,2]").put("destination", "null").put("currency", "\"usd\"").put("fobAmount", "-12")
                        .append("fobAmount", "\"1e3\"").append("junk", "{\"a\":[{}]}").append("junk", "1").bytes()),
                new Case("declaration: a cancel naming its action last", d,
                        utf8("{\"fobAmount\":0,\"revision\":9,\"declarationId\":\"X-1\",\"action\":\"CANCEL\"}")),
                new Case("declaration: unknown fields of any shape", d, declaration()
                        .put("customsOffice", "{\"code\":\"040\",\"lanes\":[1,{\"deep\":[[],{}]}],\"n\":null}")
                        .put("transportMode", "\"SEA\"").put("weightKg", "1.5e3").put("flags", "[true,false,null]")
                        .put("note", "\"é 😀 \\\"quoted\\\"\"").bytes()),
                new Case("declaration: any order and whitespace", d, utf8("""
                        {
                          "fobAmount" : "1250000.00",
                          "currency": "USD", "destination": "US",
                          "hsCode": "8542321010", "exporterSize": "SME", "exporterId": "1208812345",
                          "acceptedAt": "2025-12-29T13:03:27+09:00",
                          "action": "ACCEPT", "revision": 0, "declarationId": "43210-25-0123456X"
                        }
                        """)),
                new Case("declaration: Zulu offset", d, declaration().str("acceptedAt", "2025-12-29T04:03:27Z").bytes()),
                new Case("declaration: milliseconds", d, declaration().str("acceptedAt", "2025-12-29T13:03:27.412+09:00").bytes()),
                new Case("declaration: nanoseconds and a negative offset", d,
                        declaration().str("acceptedAt", "2025-12-29T13:03:27.123456789-03:30").bytes()),
                new Case("declaration: the largest amount", d, declaration().str("fobAmount", "999999999999999.9999").bytes()),
                new Case("declaration: the smallest amount", d, declaration().str("fobAmount", "0.0001").bytes()),
                new Case("declaration: boundary ids and revision", d, declaration().str("declarationId", "A-" + "9".repeat(30))
                        .put("revision", "2147483647").str("exporterId", "수출기업".repeat(8)).str("hsCode", "854232").bytes()),
                new Case("declaration: exporterSize missing", d, declaration().without("exporterSize").bytes()),
                new Case("declaration: exporterSize null", d, declaration().put("exporterSize", "null").bytes()),
                new Case("declaration: exporterSize MIDSIZE", d, declaration().str("exporterSize", "MIDSIZE").bytes()),
                new Case("declaration: escapes and multi-byte text", d,
                        declaration().str("exporterId", "\\u1234\\ud83d\\ude00 삼성").bytes()),
                new Case("declaration: one of many in a loop", d, declaration().str("declarationId", "43210-25-1000063")
                        .put("revision", "63").str("fobAmount", "64.25").bytes()));
    }

    /** The valid inputs of ExchangeRateParsingTest. */
    private static List<Case> validRates() {
        RecordSchema r = RecordSchema.EXCHANGE_RATE;
        return List.of(
                new Case("rate: the contract example", r, utf8(Fixtures.RATE)),
                new Case("rate: eight fraction digits", r, rate().str("currency", "JPY").str("krwPerUnit", "9.12345678").bytes()),
                new Case("rate: fifteen integer digits", r, rate().str("krwPerUnit", "123456789012345.00000001").bytes()),
                new Case("rate: USD", r, rate().str("currency", "USD").str("krwPerUnit", "1470.5").bytes()),
                new Case("rate: unknown fields", r, rate().put("source", "{\"feed\":\"KCS\",\"seq\":[1,2]}").bytes()));
    }

    /** Both sides of each rule the schemas spell out as a pattern, where a pattern is easy to get wrong. */
    private static List<Case> edgesOfThePatterns() {
        RecordSchema d = RecordSchema.EXPORT_DECLARATION;
        RecordSchema r = RecordSchema.EXCHANGE_RATE;
        List<Case> edges = new ArrayList<>();
        Map<String, String> acceptedAt = Map.ofEntries(
                Map.entry("February 29 of a leap year", "2024-02-29T10:00:00+09:00"),
                Map.entry("February 29 of 2000", "2000-02-29T10:00:00+09:00"),
                Map.entry("February 29 of 1900", "1900-02-29T10:00:00+09:00"),
                Map.entry("February 29 of 2025", "2025-02-29T10:00:00+09:00"),
                Map.entry("April 31", "2025-04-31T10:00:00+09:00"),
                Map.entry("November 30", "2025-11-30T10:00:00+09:00"),
                Map.entry("December 31", "2025-12-31T23:59:59+09:00"),
                Map.entry("month 13", "2025-13-01T10:00:00+09:00"),
                Map.entry("day 00", "2025-12-00T10:00:00+09:00"),
                Map.entry("minute 60", "2025-12-29T13:60:00+09:00"),
                Map.entry("second 60", "2025-12-29T13:03:60+09:00"),
                Map.entry("no seconds", "2025-12-29T13:03+09:00"),
                Map.entry("nine fraction digits", "2025-12-29T13:03:27.000000001+09:00"),
                Map.entry("a fraction without digits", "2025-12-29T13:03:27.+09:00"),
                Map.entry("offset +18:00", "2025-12-29T13:03:27+18:00"),
                Map.entry("offset -18:00", "2025-12-29T13:03:27-18:00"),
                Map.entry("offset +18:01", "2025-12-29T13:03:27+18:01"),
                Map.entry("offset with seconds", "2025-12-29T13:03:27+09:00:30"),
                Map.entry("offset without colon", "2025-12-29T13:03:27+0900"),
                Map.entry("offset hours only", "2025-12-29T13:03:27+09"),
                Map.entry("year 0000", "0000-02-29T00:00:00Z"),
                Map.entry("five-digit year", "12025-12-29T13:03:27+09:00"),
                Map.entry("a trailing newline", "2025-12-29T13:03:27+09:00\\n"));
        acceptedAt.forEach((what, value) ->
                edges.add(new Case("declaration: acceptedAt " + what, d, declaration().str("acceptedAt", value).bytes())));
        edges.add(new Case("rate: validFrom February 30", r, rate().str("validFrom", "2025-02-30T00:00:00+09:00").bytes()));
        edges.add(new Case("rate: validFrom without seconds", r, rate().str("validFrom", "2025-12-28T00:00Z").bytes()));

        Map<String, String> fobAmount = Map.of(
                "0.0000", "0.0000", "0.00001", "0.00001", "1", "1", "10", "10", "0.5", "0.5",
                "15 integer digits", "123456789012345", "a trailing newline", "12.00\\n", "'-0'", "-0", "'00'", "00");
        fobAmount.forEach((what, value) ->
                edges.add(new Case("declaration: fobAmount " + what, d, declaration().str("fobAmount", value).bytes())));
        edges.add(new Case("rate: krwPerUnit 0.00000001", r, rate().str("krwPerUnit", "0.00000001").bytes()));
        edges.add(new Case("rate: krwPerUnit 0.000000000", r, rate().str("krwPerUnit", "0.000000000").bytes()));

        Map<String, String> exporterId = Map.of(
                "a no-break space only (not blank to Java)", "\\u00a0",
                "an ideographic space only (blank)", "\\u3000",
                "a line separator only (blank)", "\\u2028",
                "DEL inside", "12\\u007f",
                "a C1 control inside", "12\\u0085",
                "33 code points, 66 UTF-16 units", "😀".repeat(33),
                "32 code points, 64 UTF-16 units", "😀".repeat(32),
                "a lone low surrogate", "\\udc00",
                "spaces around", " 12 ");
        exporterId.forEach((what, value) ->
                edges.add(new Case("declaration: exporterId " + what, d, declaration().str("exporterId", value).bytes())));

        edges.add(new Case("declaration: declarationId with a trailing newline", d,
                declaration().str("declarationId", "43210-25\\n").bytes()));
        edges.add(new Case("declaration: declarationId 32 characters", d,
                declaration().str("declarationId", "A".repeat(32)).bytes()));
        edges.add(new Case("declaration: hsCode 10 digits with a trailing newline", d,
                declaration().str("hsCode", "8542321010\\n").bytes()));
        edges.add(new Case("declaration: hsCode with Arabic-Indic digits", d,
                declaration().str("hsCode", "٨٥٤٢٣٢").bytes()));
        edges.add(new Case("declaration: currency XXY, unassigned", d, declaration().str("currency", "XXY").bytes()));
        edges.add(new Case("declaration: currency XTS (testing)", d, declaration().str("currency", "XTS").bytes()));
        edges.add(new Case("declaration: currency KRW", d, declaration().str("currency", "KRW").bytes()));
        edges.add(new Case("declaration: destination KR", d, declaration().str("destination", "KR").bytes()));
        edges.add(new Case("declaration: revision 0 as -0", d, declaration().put("revision", "-0").bytes()));
        edges.add(new Case("declaration: AMEND without exporterSize", d,
                declaration().str("action", "AMEND").without("exporterSize").bytes()));
        edges.add(new Case("declaration: CANCEL with a null acceptedAt", d, cancel().put("acceptedAt", "null").bytes()));
        edges.add(new Case("declaration: CANCEL with a revision as string", d, cancel().put("revision", "\"3\"").bytes()));
        edges.add(new Case("declaration: cancel in lower case", d, cancel().str("action", "cancel").bytes()));
        edges.add(new Case("declaration: an empty object", d, utf8("{}")));
        edges.add(new Case("rate: KRW", r, rate().str("currency", "KRW").bytes()));
        edges.add(new Case("rate: an empty object", r, utf8("{}")));
        return edges;
    }

    /** The rows of a parsing test's {@code @CsvSource} table as JUnit reads them ('#' lines are comments). */
    private static List<String[]> table(Method test) {
        CsvSource source = test.getAnnotation(CsvSource.class);
        return source.textBlock().lines().map(String::strip).filter(row -> !row.isEmpty() && !row.startsWith("#"))
                .map(row -> Stream.of(row.split("\\|", -1)).map(String::strip).toArray(String[]::new))
                .toList();
    }

    private static String codecError(Case c) {
        try {
            if (c.schema() == RecordSchema.EXPORT_DECLARATION) {
                JSON.parseDeclaration(c.input());
            } else {
                JSON.parseExchangeRate(c.input());
            }
            return null;
        } catch (InvalidRecordException e) {
            return e.getMessage();
        }
    }
}
