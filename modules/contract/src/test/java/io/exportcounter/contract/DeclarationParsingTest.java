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
import org.junit.jupiter.params.provider.MethodSource;

class DeclarationParsingTest {

    private final ContractJson json = ContractJson.instance();

    // ------------------------------------------------------------------ invalid records

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

        // Wrong JSON types.
        cases.add(bad("revision as string", declaration().put("revision", "\"1\"").json(), "revision", "JSON integer"));
        cases.add(bad("revision 1.0", declaration().put("revision", "1.0").json(), "revision", "JSON integer"));
        cases.add(bad("revision 1e2", declaration().put("revision", "1e2").json(), "revision", "JSON integer"));
        cases.add(bad("revision boolean", declaration().put("revision", "true").json(), "revision", "JSON integer"));
        cases.add(bad("declarationId as number", declaration().put("declarationId", "432102501234").json(),
                "declarationId", "must be a string"));
        cases.add(bad("hsCode as number", declaration().put("hsCode", "8542321010").json(), "hsCode",
                "must be a string"));
        cases.add(bad("destination boolean", declaration().put("destination", "true").json(), "destination",
                "must be a string"));
        cases.add(bad("acceptedAt object", declaration().put("acceptedAt", "{\"t\":1}").json(), "acceptedAt",
                "must be a string"));
        cases.add(bad("action array", declaration().put("action", "[\"ACCEPT\"]").json(), "action",
                "must be a string"));
        cases.add(bad("exporterSize number", declaration().put("exporterSize", "1").json(), "exporterSize",
                "must be a string"));
        cases.add(bad("exporterId number", declaration().put("exporterId", "1208812345").json(), "exporterId",
                "must be a string"));

        // fobAmount.
        cases.add(bad("fobAmount 0", declaration().str("fobAmount", "0").json(), "fobAmount", "positive decimal"));
        cases.add(bad("fobAmount 0.00", declaration().str("fobAmount", "0.00").json(), "fobAmount", "positive decimal"));
        cases.add(bad("fobAmount -5.00", declaration().str("fobAmount", "-5.00").json(), "fobAmount",
                "positive decimal"));
        cases.add(bad("fobAmount +5.00", declaration().str("fobAmount", "+5.00").json(), "fobAmount", "no sign"));
        cases.add(bad("fobAmount 16 integer digits", declaration().str("fobAmount", "1234567890123456").json(),
                "fobAmount", "at most 15 integer digits"));
        cases.add(bad("fobAmount 5 fraction digits", declaration().str("fobAmount", "1.00001").json(), "fobAmount",
                "at most 4 fraction digits"));
        cases.add(bad("fobAmount 1e3", declaration().str("fobAmount", "1e3").json(), "fobAmount", "no exponent"));
        cases.add(bad("fobAmount JSON number", declaration().put("fobAmount", "1250000").json(), "fobAmount",
                "not a JSON number"));
        cases.add(bad("fobAmount JSON decimal number", declaration().put("fobAmount", "1250000.00").json(),
                "fobAmount", "not a JSON number"));
        cases.add(bad("fobAmount leading space", declaration().str("fobAmount", " 12.00").json(), "fobAmount",
                "no spaces"));
        cases.add(bad("fobAmount trailing space", declaration().str("fobAmount", "12.00 ").json(), "fobAmount",
                "no spaces"));
        cases.add(bad("fobAmount leading zeros", declaration().str("fobAmount", "012.00").json(), "fobAmount",
                "leading zeros"));
        cases.add(bad("fobAmount '12.'", declaration().str("fobAmount", "12.").json(), "fobAmount", "plainly"));
        cases.add(bad("fobAmount '.5'", declaration().str("fobAmount", ".5").json(), "fobAmount", "plainly"));
        cases.add(bad("fobAmount grouping commas", declaration().str("fobAmount", "1,250,000.00").json(),
                "fobAmount", "plainly"));
        cases.add(bad("fobAmount empty", declaration().str("fobAmount", "").json(), "fobAmount", "plainly"));

        // Codes.
        cases.add(bad("currency lower case", declaration().str("currency", "usd").json(), "currency", "upper case"));
        cases.add(bad("currency unknown", declaration().str("currency", "XXY").json(), "currency", "not a known"));
        cases.add(bad("currency XXX (no currency)", declaration().str("currency", "XXX").json(), "currency",
                "not a known"));
        cases.add(bad("currency 2 letters", declaration().str("currency", "US").json(), "currency", "alpha-3"));
        cases.add(bad("destination lower case", declaration().str("destination", "us").json(), "destination",
                "upper case"));
        cases.add(bad("destination unknown", declaration().str("destination", "ZZ").json(), "destination",
                "not a known"));
        cases.add(bad("destination alpha-3", declaration().str("destination", "USA").json(), "destination",
                "alpha-2"));
        cases.add(bad("hsCode 5 digits", declaration().str("hsCode", "85423").json(), "hsCode", "6 to 10 digits"));
        cases.add(bad("hsCode 11 digits", declaration().str("hsCode", "85423210101").json(), "hsCode",
                "6 to 10 digits"));
        cases.add(bad("hsCode with letters", declaration().str("hsCode", "8542AB").json(), "hsCode", "6 to 10 digits"));
        cases.add(bad("hsCode with a dot", declaration().str("hsCode", "8542.32").json(), "hsCode", "6 to 10 digits"));

        // acceptedAt.
        cases.add(bad("acceptedAt without offset", declaration().str("acceptedAt", "2025-12-29T13:03:27").json(),
                "acceptedAt", "offset"));
        cases.add(bad("acceptedAt date only", declaration().str("acceptedAt", "2025-12-29").json(), "acceptedAt",
                "date only"));
        cases.add(bad("acceptedAt garbage", declaration().str("acceptedAt", "yesterday noon").json(), "acceptedAt",
                "ISO-8601"));
        cases.add(bad("acceptedAt with a space", declaration().str("acceptedAt", "2025-12-29 13:03:27+09:00").json(),
                "acceptedAt", "ISO-8601"));
        cases.add(bad("acceptedAt lower-case z", declaration().str("acceptedAt", "2025-12-29T04:03:27z").json(),
                "acceptedAt", "ISO-8601"));
        cases.add(bad("acceptedAt February 30", declaration().str("acceptedAt", "2025-02-30T13:03:27+09:00").json(),
                "acceptedAt", "not a valid date-time"));
        cases.add(bad("acceptedAt hour 24", declaration().str("acceptedAt", "2025-12-29T24:00:00+09:00").json(),
                "acceptedAt", "not a valid date-time"));
        cases.add(bad("acceptedAt offset +19:00", declaration().str("acceptedAt", "2025-12-29T13:03:27+19:00").json(),
                "acceptedAt", "not a valid date-time"));
        cases.add(bad("acceptedAt 10 fraction digits",
                declaration().str("acceptedAt", "2025-12-29T13:03:27.1234567891+09:00").json(), "acceptedAt",
                "ISO-8601"));

        // revision, action, ids, size.
        cases.add(bad("revision -1", declaration().put("revision", "-1").json(), "revision", "0 to 2147483647"));
        cases.add(bad("revision 2^31", declaration().put("revision", "2147483648").json(), "revision",
                "0 to 2147483647"));
        cases.add(bad("revision huge", declaration().put("revision", "123456789012345678901234567890").json(),
                "revision", "0 to 2147483647"));
        cases.add(bad("action unknown", declaration().str("action", "DELETE").json(), "action", "one of ACCEPT"));
        cases.add(bad("action lower case", declaration().str("action", "accept").json(), "action", "one of ACCEPT"));
        cases.add(bad("declarationId 33 characters", declaration().str("declarationId", "A".repeat(33)).json(),
                "declarationId", "1 to 32 characters"));
        cases.add(bad("declarationId with underscore", declaration().str("declarationId", "43210_25").json(),
                "declarationId", "A-Z, a-z, 0-9"));
        cases.add(bad("declarationId empty", declaration().str("declarationId", "").json(), "declarationId",
                "1 to 32 characters"));
        cases.add(bad("declarationId with a space", declaration().str("declarationId", "43210 25").json(),
                "declarationId", "A-Z, a-z, 0-9"));
        cases.add(bad("declarationId non-ASCII letter", declaration().str("declarationId", "43210-é").json(),
                "declarationId", "A-Z, a-z, 0-9"));
        cases.add(bad("CANCEL with a bad declarationId", cancel().str("declarationId", "a_b").json(), "declarationId",
                "A-Z, a-z, 0-9"));
        cases.add(bad("exporterId empty", declaration().str("exporterId", "").json(), "exporterId",
                "1 to 32 characters"));
        cases.add(bad("exporterId 33 characters", declaration().str("exporterId", "1".repeat(33)).json(),
                "exporterId", "1 to 32 characters"));
        cases.add(bad("exporterId blank", declaration().str("exporterId", "   ").json(), "exporterId", "blank"));
        cases.add(bad("exporterId control character", declaration().str("exporterId", "12\\u000788").json(),
                "exporterId", "control characters"));
        cases.add(bad("exporterId escaped lone surrogate", declaration().str("exporterId", "12\\ud800").json(),
                "exporterId", "unpaired surrogates"));
        cases.add(bad("exporterSize TINY", declaration().str("exporterSize", "TINY").json(), "exporterSize",
                "one of LARGE, MIDSIZE, SME"));
        cases.add(bad("exporterSize UNKNOWN is not writable", declaration().str("exporterSize", "UNKNOWN").json(),
                "exporterSize", "one of LARGE, MIDSIZE, SME"));
        cases.add(bad("exporterSize lower case", declaration().str("exporterSize", "sme").json(), "exporterSize",
                "one of LARGE, MIDSIZE, SME"));

        // Duplicates.
        cases.add(bad("duplicate fobAmount", declaration().append("fobAmount", "\"1.00\"").json(), "fobAmount",
                "more than once"));
        cases.add(bad("duplicate declarationId", declaration().append("declarationId", "\"OTHER-1\"").json(),
                "declarationId", "more than once"));
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
    void tableIsLargeEnoughAndCoversEveryDeclarationField() {
        List<Arguments> cases = badDeclarations().toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(45);
        assertThat(cases.stream().map(a -> a.get()[2]))
                .contains(null, "declarationId", "revision", "action", "acceptedAt", "exporterId", "exporterSize",
                        "hsCode", "destination", "currency", "fobAmount");
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
