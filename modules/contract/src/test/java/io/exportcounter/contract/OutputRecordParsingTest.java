package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.assertRejected;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Totals, milestones and rejections are written by the pipeline; readers still get precise errors. */
class OutputRecordParsingTest {

    private static final ContractJson JSON = ContractJson.instance();

    @FunctionalInterface
    interface Parse {
        Object parse(byte[] b) throws InvalidRecordException;
    }

    /** The output records: the contract example of each and its parser. */
    enum Output {
        TOTAL(Fixtures.TOTAL, JSON::parseTotal),
        MILESTONE(Fixtures.MILESTONE, JSON::parseMilestone),
        REJECTION(Fixtures.REJECTION, JSON::parseRejection);

        final String example;
        final Parse parser;

        Output(String example, Parse parser) {
            this.example = example;
            this.parser = parser;
        }
    }

    /** The contract example of the record with every {@code replace} replaced by {@code with}. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # record    | description                    | replace                                      | with                 | field        | reason contains
              TOTAL     | period missing                 | "period":"2025",                             | ''                   | period       | is required
              TOTAL     | period month 13                | "2025"                                       | "2025-13"            | period       | a month
              TOTAL     | period as number               | "2025"                                       | 2025                 | period       | must be a string
              TOTAL     | unknown dimension              | CATEGORY                                     | ITEM                 | dimension    | must be one of
              TOTAL     | empty member                   | SEMICONDUCTORS                               | ''                   | member       | must not be empty
              TOTAL     | totalUsd as number             | "173456789012.34"                            | 173456789012.34      | totalUsd     | not a JSON number
              TOTAL     | totalUsd below the cent        | 012.34                                       | 012.345              | totalUsd     | at most 2 fraction digits
              TOTAL     | declarations negative          | 123456                                       | -1                   | declarations | from 0
              TOTAL     | declarations as string         | 123456                                       | "123456"             | declarations | JSON integer
              TOTAL     | asOf without offset            | 13:03:27+09:00                               | 13:03:27             | asOf         | offset
              TOTAL     | exporters as string            | }                                            | ,"exporters":"5"}    | exporters    | JSON integer
              TOTAL     | duplicate totalUsd             | }                                            | ,"totalUsd":"1.00"}  | totalUsd     | more than once
              MILESTONE | unknown kind                   | THRESHOLD                                    | RECORD               | kind         | THRESHOLD or
              MILESTONE | unknown type                   | CROSSED                                      | REACHED              | type         | CROSSED or
              MILESTONE | thresholdUsd missing           | "thresholdUsd":"700000000000.00",            | ''                   | thresholdUsd | is required
              MILESTONE | provisional as string          | "provisional":true                           | "provisional":"true" | provisional  | true or false
              MILESTONE | detectedAt missing             | ,"detectedAt":"2025-12-29T04:03:27.412Z"     | ''                   | detectedAt   | is required
              REJECTION | partition as string            | "partition":3                                | "partition":"3"      | partition    | JSON integer
              REJECTION | value and valueBase64 both set | "valueBase64":null                           | "valueBase64":"e30=" | valueBase64  | must be null when value is set
              REJECTION | sourceTopic missing            | "sourceTopic":"customs.export-declarations", | ''                   | sourceTopic  | is required
            """)
    void rejectsBadOutputRecords(Output record, String description, String replace, String with, String field,
            String fragment) {
        String input = record.example.replace(replace, with);

        assertThat(input).as("fixture edit must change the record").isNotEqualTo(record.example);
        assertRejected(record + ": " + description, () -> record.parser.parse(utf8(input)), field, fragment);
    }

    @Test
    void rejectsARejectionWithValueBase64NotBase64() {
        String input = Fixtures.REJECTION.replace("\"value\":\"{...the original record as text...}\"", "\"value\":null")
                .replace("\"valueBase64\":null", "\"valueBase64\":\"%%%\"");

        assertThat(input).as("fixture edit must change the record").isNotEqualTo(Fixtures.REJECTION);
        assertRejected("valueBase64 not Base64", () -> JSON.parseRejection(utf8(input)), "valueBase64", "Base64");
    }

    @Test
    void rejectsARejectionThatIsNotAnObject() {
        assertRejected("not an object", () -> JSON.parseRejection(utf8("42")), null, "must be a JSON object");
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
}
