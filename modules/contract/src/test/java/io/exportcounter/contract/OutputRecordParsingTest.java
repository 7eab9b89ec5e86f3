package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Totals, milestones and rejections are written by the pipeline; readers still get precise errors. */
class OutputRecordParsingTest {

    private static final ContractJson JSON = ContractJson.instance();

    @FunctionalInterface
    interface Parse {
        Object parse(byte[] b) throws InvalidRecordException;
    }

    static Stream<Arguments> badRecords() {
        Parse total = JSON::parseTotal;
        Parse milestone = JSON::parseMilestone;
        Parse rejection = JSON::parseRejection;
        String t = Fixtures.TOTAL;
        String m = Fixtures.MILESTONE;
        String r = Fixtures.REJECTION;
        return Stream.of(
                bad("total: period missing", total, t.replace("\"period\":\"2025\",", ""), "period", "is required"),
                bad("total: period month 13", total, t.replace("\"2025\"", "\"2025-13\""), "period", "a month"),
                bad("total: period as number", total, t.replace("\"2025\"", "2025"), "period", "must be a string"),
                bad("total: unknown dimension", total, t.replace("CATEGORY", "ITEM"), "dimension", "must be one of"),
                bad("total: empty member", total, t.replace("SEMICONDUCTORS", ""), "member", "must not be empty"),
                bad("total: totalUsd as number", total, t.replace("\"173456789012.34\"", "173456789012.34"), "totalUsd",
                        "not a JSON number"),
                bad("total: totalUsd below the cent", total, t.replace("012.34", "012.345"), "totalUsd",
                        "at most 2 fraction digits"),
                bad("total: declarations negative", total, t.replace("123456", "-1"), "declarations", "from 0"),
                bad("total: declarations as string", total, t.replace("123456", "\"123456\""), "declarations",
                        "JSON integer"),
                bad("total: asOf without offset", total, t.replace("13:03:27+09:00", "13:03:27"), "asOf", "offset"),
                bad("total: exporters as string", total, t.replace("}", ",\"exporters\":\"5\"}"), "exporters",
                        "JSON integer"),
                bad("total: duplicate totalUsd", total, t.replace("}", ",\"totalUsd\":\"1.00\"}"), "totalUsd",
                        "more than once"),
                bad("milestone: unknown kind", milestone, m.replace("THRESHOLD", "RECORD"), "kind", "THRESHOLD or"),
                bad("milestone: unknown type", milestone, m.replace("CROSSED", "REACHED"), "type", "CROSSED or"),
                bad("milestone: thresholdUsd missing", milestone, m.replace("\"thresholdUsd\":\"700000000000.00\",", ""),
                        "thresholdUsd", "is required"),
                bad("milestone: provisional as string", milestone, m.replace("\"provisional\":true",
                        "\"provisional\":\"true\""), "provisional", "true or false"),
                bad("milestone: detectedAt missing", milestone, m.replace(",\"detectedAt\":\"2025-12-29T04:03:27.412Z\"",
                        ""), "detectedAt", "is required"),
                bad("rejection: partition as string", rejection, r.replace("\"partition\":3", "\"partition\":\"3\""),
                        "partition", "JSON integer"),
                bad("rejection: value and valueBase64 both set", rejection, r.replace("\"valueBase64\":null",
                        "\"valueBase64\":\"e30=\""), "valueBase64", "must be null when value is set"),
                bad("rejection: valueBase64 not Base64", rejection, r.replace("\"value\":\"{...the original record as text...}\"",
                        "\"value\":null").replace("\"valueBase64\":null", "\"valueBase64\":\"%%%\""), "valueBase64",
                        "Base64"),
                bad("rejection: sourceTopic missing", rejection, r.replace("\"sourceTopic\":\"customs.export-declarations\",",
                        ""), "sourceTopic", "is required"),
                bad("rejection: not an object", rejection, "42", null, "must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void rejectsBadOutputRecords(String description, Parse parser, String input, String field, String fragment) {
        assertThat(input).as("fixture edit must change the record").isNotIn(Fixtures.TOTAL, Fixtures.MILESTONE,
                Fixtures.REJECTION);
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> parser.parse(utf8(input)));

        assertThat(e).as("should be rejected: %s", description).isNotNull();
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        assertThat(e.reason()).contains(fragment);
    }

    @Test
    void optionalFieldsMayBeMissingOrNull() throws Exception {
        Total noAsOf = JSON.parseTotal(utf8(Fixtures.TOTAL.replace(",\"asOf\":\"2025-12-29T13:03:27+09:00\"", "")));
        assertThat(noAsOf.asOf()).isNull();
        assertThat(noAsOf.exporters()).isNull();

        Total withExporters = JSON.parseTotal(utf8(Fixtures.TOTAL.replace("}", ",\"exporters\":96000}")));
        assertThat(withExporters.exporters()).isEqualTo(96_000L);

        Total nullExporters = JSON.parseTotal(utf8(Fixtures.TOTAL.replace("}", ",\"exporters\":null}")));
        assertThat(nullExporters.exporters()).isNull();

        Milestone retracted = JSON.parseMilestone(utf8(Fixtures.MILESTONE
                .replace("\"crossedAt\":\"2025-12-29T13:03:27+09:00\"", "\"crossedAt\":null")
                .replace("\"crossedAtLocalTime\":\"1:03 p.m.\"", "\"crossedAtLocalTime\":null")
                .replace("\"declarationId\":\"43210-25-0123456X\"", "\"declarationId\":null")));
        assertThat(retracted.crossedAt()).isNull();
        assertThat(retracted.crossedAtLocalTime()).isNull();
        assertThat(retracted.declarationId()).isNull();
    }

    @Test
    void totalMoneyIsNormalisedToScaleTwo() throws Exception {
        Total t = JSON.parseTotal(utf8(Fixtures.TOTAL.replace("173456789012.34", "5")));
        assertThat(t.totalUsd().toPlainString()).isEqualTo("5.00");
    }

    private static Arguments bad(String description, Parse parser, String input, String field, String fragment) {
        return Arguments.of(description, parser, input, field, fragment);
    }
}
