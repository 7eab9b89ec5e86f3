package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The optional time of a correction (amendedAt, cancelledAt): read when valid, never a reason to reject. */
class CorrectionTimeParsingTest {
    private static final String AMEND = "{\"declarationId\":\"D-1\",\"revision\":1,\"action\":\"AMEND\","
            + "\"acceptedAt\":\"2025-12-29T13:03:27+09:00\",\"exporterId\":\"E1\",\"hsCode\":\"854232\","
            + "\"destination\":\"US\",\"currency\":\"USD\",\"fobAmount\":\"10.00\"";

    private static ExportDeclaration parse(String json) throws InvalidRecordException {
        return ContractJson.instance().parseDeclaration(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_amendment_and_a_withdrawal_carry_the_time_they_were_made_and_write_it_back() throws Exception {
        ExportDeclaration amend = parse(AMEND + ",\"amendedAt\":\"2026-01-05T09:30:00+09:00\"}");
        ExportDeclaration cancel = parse("{\"declarationId\":\"D-1\",\"revision\":2,\"action\":\"CANCEL\","
                + "\"cancelledAt\":\"2026-01-06T10:00:00Z\"}");

        assertThat(amend.correctedAt()).isEqualTo(OffsetDateTime.parse("2026-01-05T09:30:00+09:00"));
        assertThat(cancel.correctedAt()).isEqualTo(OffsetDateTime.parse("2026-01-06T10:00:00Z"));
        assertThat(parse(new String(ContractJson.instance().write(amend), StandardCharsets.UTF_8))).isEqualTo(amend);
        assertThat(parse(new String(ContractJson.instance().write(cancel), StandardCharsets.UTF_8))).isEqualTo(cancel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"amendedAt\":null", ",\"amendedAt\":\"yesterday\"", ",\"amendedAt\":\"2026-01-05T09:30:00\"",
            ",\"amendedAt\":20260105", ",\"cancelledAt\":\"2026-01-05T09:30:00+09:00\""})
    void an_amendment_without_a_valid_time_of_its_own_is_still_counted_without_one(String field) throws Exception {
        // The field is outside the contract's list, so a feed that sends it broken loses nothing
        assertThat(parse(AMEND + field + "}").correctedAt()).isNull();
    }

    @Test
    void an_acceptance_has_no_correction_time_even_if_a_field_says_one() throws Exception {
        String accept = AMEND.replace("\"revision\":1,\"action\":\"AMEND\"", "\"revision\":0,\"action\":\"ACCEPT\"");
        assertThat(parse(accept + ",\"amendedAt\":\"2026-01-05T09:30:00+09:00\"}").correctedAt()).isNull();
    }
}
