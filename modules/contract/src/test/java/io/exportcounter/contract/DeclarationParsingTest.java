package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.assertRejected;
import static io.exportcounter.contract.Fixtures.cancel;
import static io.exportcounter.contract.Fixtures.declaration;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeclarationParsingTest {

    private final ContractJson json = ContractJson.instance();

    // ------------------------------------------------------------------ invalid records

    /** The contract example with one edit to one field, which the rejection must name. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # description                          | edit   | field         | raw JSON value                         | reason contains
            # Wrong JSON types.
            revision as string                     | put    | revision      | "1"                                    | JSON integer
            revision 1.0                           | put    | revision      | 1.0                                    | JSON integer
            revision 1e2                           | put    | revision      | 1e2                                    | JSON integer
            revision boolean                       | put    | revision      | true                                   | JSON integer
            declarationId as number                | put    | declarationId | 432102501234                           | must be a string
            hsCode as number                       | put    | hsCode        | 8542321010                             | must be a string
            destination boolean                    | put    | destination   | true                                   | must be a string
            acceptedAt object                      | put    | acceptedAt    | {"t":1}                                | must be a string
            action array                           | put    | action        | ["ACCEPT"]                             | must be a string
            exporterSize number                    | put    | exporterSize  | 1                                      | must be a string
            exporterId number                      | put    | exporterId    | 1208812345                             | must be a string
            # fobAmount.
            fobAmount 0                            | put    | fobAmount     | "0"                                    | positive decimal
            fobAmount 0.00                         | put    | fobAmount     | "0.00"                                 | positive decimal
            fobAmount -5.00                        | put    | fobAmount     | "-5.00"                                | positive decimal
            fobAmount +5.00                        | put    | fobAmount     | "+5.00"                                | no sign
            fobAmount 16 integer digits            | put    | fobAmount     | "1234567890123456"                     | at most 15 integer digits
            fobAmount 5 fraction digits            | put    | fobAmount     | "1.00001"                              | at most 4 fraction digits
            fobAmount 1e3                          | put    | fobAmount     | "1e3"                                  | no exponent
            fobAmount JSON number                  | put    | fobAmount     | 1250000                                | not a JSON number
            fobAmount JSON decimal number          | put    | fobAmount     | 1250000.00                             | not a JSON number
            fobAmount leading space                | put    | fobAmount     | " 12.00"                               | no spaces
            fobAmount trailing space               | put    | fobAmount     | "12.00 "                               | no spaces
            fobAmount leading zeros                | put    | fobAmount     | "012.00"                               | leading zeros
            fobAmount '12.'                        | put    | fobAmount     | "12."                                  | plainly
            fobAmount '.5'                         | put    | fobAmount     | ".5"                                   | plainly
            fobAmount grouping commas              | put    | fobAmount     | "1,250,000.00"                         | plainly
            fobAmount empty                        | put    | fobAmount     | ""                                     | plainly
            # Codes.
            currency lower case                    | put    | currency      | "usd"                                  | upper case
            currency unknown                       | put    | currency      | "XXY"                                  | not a known
            currency XXX (no currency)             | put    | currency      | "XXX"                                  | not a known
            currency 2 letters                     | put    | currency      | "US"                                   | alpha-3
            destination lower case                 | put    | destination   | "us"                                   | upper case
            destination unknown                    | put    | destination   | "ZZ"                                   | not a known
            destination alpha-3                    | put    | destination   | "USA"                                  | alpha-2
            hsCode 5 digits                        | put    | hsCode        | "85423"                                | 6 to 10 digits
            hsCode 11 digits                       | put    | hsCode        | "85423210101"                          | 6 to 10 digits
            hsCode with letters                    | put    | hsCode        | "8542AB"                               | 6 to 10 digits
            hsCode with a dot                      | put    | hsCode        | "8542.32"                              | 6 to 10 digits
            # acceptedAt.
            acceptedAt without offset              | put    | acceptedAt    | "2025-12-29T13:03:27"                  | offset
            acceptedAt date only                   | put    | acceptedAt    | "2025-12-29"                           | date only
            acceptedAt garbage                     | put    | acceptedAt    | "yesterday noon"                       | ISO-8601
            acceptedAt with a space                | put    | acceptedAt    | "2025-12-29 13:03:27+09:00"            | ISO-8601
            acceptedAt lower-case z                | put    | acceptedAt    | "2025-12-29T04:03:27z"                 | ISO-8601
            acceptedAt February 30                 | put    | acceptedAt    | "2025-02-30T13:03:27+09:00"            | not a valid date-time
            acceptedAt hour 24                     | put    | acceptedAt    | "2025-12-29T24:00:00+09:00"            | not a valid date-time
            acceptedAt offset +19:00               | put    | acceptedAt    | "2025-12-29T13:03:27+19:00"            | not a valid date-time
            acceptedAt 10 fraction digits          | put    | acceptedAt    | "2025-12-29T13:03:27.1234567891+09:00" | ISO-8601
            # revision, action, ids, size.
            revision -1                            | put    | revision      | -1                                     | 0 to 2147483647
            revision 2^31                          | put    | revision      | 2147483648                             | 0 to 2147483647
            revision huge                          | put    | revision      | 123456789012345678901234567890         | 0 to 2147483647
            action unknown                         | put    | action        | "DELETE"                               | one of ACCEPT
            action lower case                      | put    | action        | "accept"                               | one of ACCEPT
            declarationId with underscore          | put    | declarationId | "43210_25"                             | A-Z, a-z, 0-9
            declarationId empty                    | put    | declarationId | ""                                     | 1 to 32 characters
            declarationId with a space             | put    | declarationId | "43210 25"                             | A-Z, a-z, 0-9
            declarationId non-ASCII letter         | put    | declarationId | "43210-é"                              | A-Z, a-z, 0-9
            exporterId empty                       | put    | exporterId    | ""                                     | 1 to 32 characters
            exporterId blank                       | put    | exporterId    | "   "                                  | blank
            exporterId control character           | put    | exporterId    | "12\\u000788"                          | control characters
            exporterId escaped lone surrogate      | put    | exporterId    | "12\\ud800"                            | unpaired surrogates
            exporterSize TINY                      | put    | exporterSize  | "TINY"                                 | one of LARGE, MIDSIZE, SME
            exporterSize UNKNOWN is not writable   | put    | exporterSize  | "UNKNOWN"                              | one of LARGE, MIDSIZE, SME
            exporterSize lower case                | put    | exporterSize  | "sme"                                  | one of LARGE, MIDSIZE, SME
            # Duplicates.
            duplicate fobAmount                    | append | fobAmount     | "1.00"                                 | more than once
            duplicate declarationId                | append | declarationId | "OTHER-1"                              | more than once
            """)
    void rejectsABadField(String description, String edit, String field, String rawValue, String reasonFragment) {
        byte[] input = declaration().edit(edit, field, rawValue).bytes();

        assertRejected(description, () -> json.parseDeclaration(input), field, reasonFragment);
    }

    /** The cases that one edit of one field cannot make: the record as a whole, and several edits. */
    static Stream<Arguments> badDeclarations() {
        List<Arguments> cases = new ArrayList<>();
        String valid = declaration().json();
        byte[] validBytes = utf8(valid);

        // The record as a whole (field null).
        cases.add(bad("malformed JSON: missing value", "{\"declarationId\": }", null, "not valid JSON"));
        cases.add(bad("malformed JSON: single quotes", "{'declarationId':'X'}", null, "not valid JSON"));
        cases.add(bad("malformed JSON: bare words", "hello customs", null, "not valid JSON"));
        cases.add(bad("malformed JSON: leading zero number", declaration().put("revision", "01").json(), null,
                "not valid JSON"));
        cases.add(bad("malformed JSON: NaN", declaration().put("revision", "NaN").json(), null, "not valid JSON"));
        cases.add(bad("truncated inside a string", valid.substring(0, 60), null, "truncated"));
        cases.add(bad("truncated after a comma", valid.substring(0, valid.indexOf("\"action\"")), null, "truncated"));
        cases.add(bad("truncated: closing brace missing", valid.substring(0, valid.length() - 1), null, "truncated"));
        cases.add(bad("empty bytes", new byte[0], null, "empty"));
        cases.add(bad("whitespace only", " \n\t ", null, "empty"));
        cases.add(bad("JSON array", "[" + valid + "]", null, "must be a JSON object"));
        cases.add(bad("JSON string", "\"43210-25-0123456X\"", null, "must be a JSON object"));
        cases.add(bad("JSON null", "null", null, "must be a JSON object"));
        cases.add(bad("trailing garbage", valid + "x", null, "trailing data"));
        cases.add(bad("trailing comma", valid + ",", null, "trailing data"));
        cases.add(bad("two objects", valid + valid, null, "trailing data"));
        cases.add(bad("not UTF-8: Latin-1 byte", replaceBytes(validBytes, "1208812345", new byte[]{'A', (byte) 0xE9}),
                null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: overlong 2-byte '/'", replaceBytes(validBytes, "1208812345",
                new byte[]{'A', (byte) 0xC0, (byte) 0xAF}), null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: overlong 3-byte", replaceBytes(validBytes, "1208812345",
                new byte[]{'A', (byte) 0xE0, (byte) 0x80, (byte) 0xAF}), null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: encoded lone surrogate U+D800", replaceBytes(validBytes, "1208812345",
                new byte[]{'A', (byte) 0xED, (byte) 0xA0, (byte) 0x80}), null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: bare continuation byte", replaceBytes(validBytes, "1208812345",
                new byte[]{(byte) 0x80}), null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: beyond U+10FFFF", replaceBytes(validBytes, "1208812345",
                new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}), null, "not valid UTF-8"));
        cases.add(bad("not UTF-8: sequence cut at the end", concat(validBytes, new byte[]{(byte) 0xE2, (byte) 0x82}),
                null, "not valid UTF-8"));
        cases.add(bad("UTF-16LE with BOM", concat(new byte[]{(byte) 0xFF, (byte) 0xFE},
                valid.getBytes(StandardCharsets.UTF_16LE)), null, "not valid UTF-8"));
        cases.add(bad("UTF-16BE without BOM (Jackson would auto-detect it)", valid.getBytes(StandardCharsets.UTF_16BE),
                null, "not valid JSON"));

        // Required fields missing, for ACCEPT and AMEND.
        for (String f : List.of("declarationId", "revision", "action", "acceptedAt", "exporterId", "hsCode",
                "destination", "currency", "fobAmount")) {
            cases.add(bad(f + " missing", declaration().without(f).json(), f, "is required"));
        }
        cases.add(bad("AMEND without fobAmount", declaration().str("action", "AMEND").without("fobAmount").json(),
                "fobAmount", "is required"));
        cases.add(bad("AMEND without acceptedAt", declaration().str("action", "AMEND").without("acceptedAt").json(),
                "acceptedAt", "is required"));
        cases.add(bad("CANCEL without revision", cancel().without("revision").json(), "revision", "is required"));
        cases.add(bad("CANCEL without declarationId", cancel().without("declarationId").json(), "declarationId",
                "is required"));

        // Null for a required field.
        for (String f : List.of("declarationId", "revision", "action", "acceptedAt", "exporterId", "hsCode",
                "destination", "currency", "fobAmount")) {
            cases.add(bad(f + " null", declaration().put(f, "null").json(), f, "is required"));
        }

        // Too long, a CANCEL's bad id, and duplicates beyond one field of the example.
        cases.add(bad("declarationId 33 characters", declaration().str("declarationId", "A".repeat(33)).json(),
                "declarationId", "1 to 32 characters"));
        cases.add(bad("exporterId 33 characters", declaration().str("exporterId", "1".repeat(33)).json(),
                "exporterId", "1 to 32 characters"));
        cases.add(bad("CANCEL with a bad declarationId", cancel().str("declarationId", "a_b").json(), "declarationId",
                "A-Z, a-z, 0-9"));
        cases.add(bad("duplicate unknown field", declaration().append("office", "1").append("office", "2").json(),
                "office", "more than once"));
        cases.add(bad("CANCEL with duplicate revision", cancel().append("revision", "4").json(), "revision",
                "more than once"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void rejectsBadDeclaration(String description, byte[] input, String field, String reasonFragment) {
        InvalidRecordException e = assertRejected(description, () -> json.parseDeclaration(input), field, reasonFragment);

        if (field == null) {
            assertThat(e.reason()).startsWith("record ");
        }
    }

    @Test
    void tableIsLargeEnoughAndCoversEveryDeclarationField() throws Exception {
        List<String> fields = new ArrayList<>();
        badDeclarations().forEach(a -> fields.add((String) a.get()[2]));
        fields.addAll(fieldTableColumn(2));

        assertThat(fields).hasSizeGreaterThanOrEqualTo(45);
        assertThat(fields)
                .contains(null, "declarationId", "revision", "action", "acceptedAt", "exporterId", "exporterSize",
                        "hsCode", "destination", "currency", "fobAmount");
    }

    /** One column of the rows of {@link #rejectsABadField}'s table, as JUnit reads it (# lines are comments). */
    private static List<String> fieldTableColumn(int column) throws NoSuchMethodException {
        CsvSource table = DeclarationParsingTest.class.getDeclaredMethod("rejectsABadField", String.class,
                String.class, String.class, String.class, String.class).getAnnotation(CsvSource.class);
        return table.textBlock().lines().map(String::strip).filter(row -> !row.isEmpty() && !row.startsWith("#"))
                .map(row -> row.split("\\|", -1)[column].strip()).toList();
    }

    @Test
    void nullBytesAreRejectedAsAWhole() {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> json.parseDeclaration(null));
        assertThat(e.field()).isNull();
        assertThat(e.reason()).contains("null");
    }

    @Test
    void fieldRulesAreCheckedInContractOrder() {
        // Both currency and fobAmount are wrong; the earlier field in the contract is reported.
        byte[] twoErrors = declaration().str("fobAmount", "0").str("currency", "usd").bytes();
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> json.parseDeclaration(twoErrors));
        assertThat(e.field()).isEqualTo("currency");
    }

    // ------------------------------------------------------------------ valid records

    @Test
    void parsesAFullAccept() throws Exception {
        ExportDeclaration d = json.parseDeclaration(declaration().bytes());

        assertThat(d).isEqualTo(new ExportDeclaration("43210-25-0123456X", 0, Action.ACCEPT,
                OffsetDateTime.of(2025, 12, 29, 13, 3, 27, 0, ZoneOffset.ofHours(9)), "1208812345",
                ExporterSize.SME, "8542321010", "US", "USD", new BigDecimal("1250000.00")));
        assertThat(d.fobAmount().scale()).isEqualTo(2);
    }

    @Test
    void parsesAnAmend() throws Exception {
        ExportDeclaration d = json.parseDeclaration(declaration().str("action", "AMEND").put("revision", "7")
                .str("destination", "VN").str("currency", "EUR").str("fobAmount", "99.5").str("exporterSize", "LARGE")
                .bytes());

        assertThat(d.action()).isEqualTo(Action.AMEND);
        assertThat(d.revision()).isEqualTo(7);
        assertThat(d.destination()).isEqualTo("VN");
        assertThat(d.currency()).isEqualTo("EUR");
        assertThat(d.exporterSize()).isEqualTo(ExporterSize.LARGE);
        assertThat(d.fobAmount()).isEqualTo(new BigDecimal("99.5"));
    }

    @Test
    void parsesACancelWithOnlyItsThreeFields() throws Exception {
        assertThat(json.parseDeclaration(cancel().bytes()))
                .isEqualTo(ExportDeclaration.cancel("43210-25-0123456X", 3));
    }

    @Test
    void cancelIgnoresStaleAndBrokenExtraFields() throws Exception {
        byte[] input = cancel()
                .put("acceptedAt", "\"yesterday\"")
                .put("exporterId", "\"\"")
                .put("exporterSize", "\"TINY\"")
                .put("hsCode", "[1,2]")
                .put("destination", "null")
                .put("currency", "\"usd\"")
                .put("fobAmount", "-12")
                .append("fobAmount", "\"1e3\"")
                .append("junk", "{\"a\":[{}]}")
                .append("junk", "1")
                .bytes();

        ExportDeclaration d = json.parseDeclaration(input);

        assertThat(d).isEqualTo(ExportDeclaration.cancel("43210-25-0123456X", 3));
        assertThat(d.exporterSize()).isEqualTo(ExporterSize.UNKNOWN);
        assertThat(d.fobAmount()).isNull();
    }

    @Test
    void cancelMayNameItsActionLast() throws Exception {
        byte[] input = utf8("{\"fobAmount\":0,\"revision\":9,\"declarationId\":\"X-1\",\"action\":\"CANCEL\"}");
        assertThat(json.parseDeclaration(input)).isEqualTo(ExportDeclaration.cancel("X-1", 9));
    }

    @Test
    void ignoresUnknownFieldsOfAnyShape() throws Exception {
        byte[] input = declaration()
                .put("customsOffice", "{\"code\":\"040\",\"lanes\":[1,{\"deep\":[[],{}]}],\"n\":null}")
                .put("transportMode", "\"SEA\"")
                .put("weightKg", "1.5e3")
                .put("flags", "[true,false,null]")
                .put("note", "\"é 😀 \\\"quoted\\\"\"")
                .bytes();

        assertThat(json.parseDeclaration(input)).isEqualTo(json.parseDeclaration(declaration().bytes()));
    }

    @Test
    void acceptsFieldsInAnyOrderAndWhitespace() throws Exception {
        String pretty = """
                {
                  "fobAmount" : "1250000.00",
                  "currency": "USD", "destination": "US",
                  "hsCode": "8542321010", "exporterSize": "SME", "exporterId": "1208812345",
                  "acceptedAt": "2025-12-29T13:03:27+09:00",
                  "action": "ACCEPT", "revision": 0, "declarationId": "43210-25-0123456X"
                }
                """;
        assertThat(json.parseDeclaration(utf8(pretty))).isEqualTo(json.parseDeclaration(declaration().bytes()));
    }

    @Test
    void acceptsZuluOffset() throws Exception {
        ExportDeclaration d = json.parseDeclaration(declaration().str("acceptedAt", "2025-12-29T04:03:27Z").bytes());
        assertThat(d.acceptedAt()).isEqualTo(OffsetDateTime.of(2025, 12, 29, 4, 3, 27, 0, ZoneOffset.UTC));
        assertThat(d.acceptedAt().toInstant()).isEqualTo(
                OffsetDateTime.of(2025, 12, 29, 13, 3, 27, 0, ZoneOffset.ofHours(9)).toInstant());
    }

    @Test
    void acceptsFractionalSecondsAndNegativeOffsets() throws Exception {
        ExportDeclaration millis = json.parseDeclaration(
                declaration().str("acceptedAt", "2025-12-29T13:03:27.412+09:00").bytes());
        ExportDeclaration nanos = json.parseDeclaration(
                declaration().str("acceptedAt", "2025-12-29T13:03:27.123456789-03:30").bytes());

        assertThat(millis.acceptedAt().getNano()).isEqualTo(412_000_000);
        assertThat(nanos.acceptedAt().getNano()).isEqualTo(123_456_789);
        assertThat(nanos.acceptedAt().getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-3, -30));
    }

    @Test
    void acceptsTheLargestAndSmallestAmounts() throws Exception {
        ExportDeclaration max = json.parseDeclaration(declaration().str("fobAmount", "999999999999999.9999").bytes());
        ExportDeclaration min = json.parseDeclaration(declaration().str("fobAmount", "0.0001").bytes());

        assertThat(max.fobAmount()).isEqualByComparingTo("999999999999999.9999");
        assertThat(max.fobAmount().toPlainString()).isEqualTo("999999999999999.9999");
        assertThat(min.fobAmount().toPlainString()).isEqualTo("0.0001");
    }

    @Test
    void acceptsBoundaryIdsAndRevisions() throws Exception {
        String id32 = "A-" + "9".repeat(30);
        String exporter32 = "수출기업".repeat(8); // 32 code points, more than 32 UTF-8 bytes
        ExportDeclaration d = json.parseDeclaration(declaration().str("declarationId", id32)
                .put("revision", "2147483647").str("exporterId", exporter32).str("hsCode", "854232").bytes());

        assertThat(d.declarationId()).isEqualTo(id32);
        assertThat(d.revision()).isEqualTo(Integer.MAX_VALUE);
        assertThat(d.exporterId()).isEqualTo(exporter32);
        assertThat(d.hsCode()).isEqualTo("854232");
    }

    @Test
    void exporterSizeMissingOrNullMeansUnknown() throws Exception {
        assertThat(json.parseDeclaration(declaration().without("exporterSize").bytes()).exporterSize())
                .isEqualTo(ExporterSize.UNKNOWN);
        assertThat(json.parseDeclaration(declaration().put("exporterSize", "null").bytes()).exporterSize())
                .isEqualTo(ExporterSize.UNKNOWN);
        assertThat(json.parseDeclaration(declaration().str("exporterSize", "MIDSIZE").bytes()).exporterSize())
                .isEqualTo(ExporterSize.MIDSIZE);
    }

    @Test
    void decodesEscapesAndMultiByteText() throws Exception {
        ExportDeclaration d = json.parseDeclaration(declaration().str("exporterId", "\\u1234\\ud83d\\ude00 삼성").bytes());
        assertThat(d.exporterId()).isEqualTo("\u1234\uD83D\uDE00 삼성");
    }

    @Test
    void parsesManyDeclarationsInALoop() throws Exception {
        // Sanity of the hot path under volume (thread-local buffers, interning); no timing asserted.
        int n = 200_000;
        byte[][] inputs = new byte[64][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = declaration().str("declarationId", "43210-25-" + (1_000_000 + i)).put("revision", "" + i)
                    .str("fobAmount", (i + 1) + ".25").bytes();
        }
        long cents = 0;
        long revisions = 0;
        for (int i = 0; i < n; i++) {
            ExportDeclaration d = json.parseDeclaration(inputs[i % inputs.length]);
            cents += Money.toCents(d.fobAmount());
            revisions += d.revision();
        }
        long perRound = 0;
        long revPerRound = 0;
        for (int i = 0; i < inputs.length; i++) {
            perRound += (i + 1) * 100L + 25;
            revPerRound += i;
        }
        assertThat(n % inputs.length).isZero();
        assertThat(cents).isEqualTo(perRound * (n / inputs.length));
        assertThat(revisions).isEqualTo(revPerRound * (n / inputs.length));
    }

    // ------------------------------------------------------------------ helpers

    private static Arguments bad(String description, String input, String field, String fragment) {
        return bad(description, utf8(input), field, fragment);
    }

    private static Arguments bad(String description, byte[] input, String field, String fragment) {
        return Arguments.of(description, input, field, fragment);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code source} with the first occurrence of ASCII {@code target} replaced by raw bytes. */
    private static byte[] replaceBytes(byte[] source, String target, byte[] replacement) {
        byte[] t = target.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + t.length <= source.length; i++) {
            if (Arrays.equals(source, i, i + t.length, t, 0, t.length)) {
                byte[] head = Arrays.copyOfRange(source, 0, i);
                byte[] tail = Arrays.copyOfRange(source, i + t.length, source.length);
                return concat(concat(head, replacement), tail);
            }
        }
        throw new IllegalArgumentException(target + " not found");
    }
}
