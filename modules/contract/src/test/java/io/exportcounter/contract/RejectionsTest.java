package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RejectionsTest {

    private static final Instant AT = Instant.parse("2025-12-29T04:03:27.412Z");

    @Test
    void keepsUtf8ValuesAsTextAndReadsTheReasonAsASentence() {
        byte[] value = Fixtures.declaration().str("fobAmount", "0").str("exporterId", "삼성").bytes();
        InvalidRecordException e = new InvalidRecordException("fobAmount", "must be a positive decimal");

        Rejection r = Rejections.of(e, "customs.export-declarations", 3, 81723L, utf8("43210-25-0123456X"), value, AT);

        assertThat(r).isEqualTo(new Rejection("fobAmount must be a positive decimal", "fobAmount",
                "customs.export-declarations", 3, 81723L, "43210-25-0123456X",
                Fixtures.declaration().str("fobAmount", "0").str("exporterId", "삼성").json(), null, AT));
    }

    @Test
    void storesNonUtf8ValuesAsBase64() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        InvalidRecordException e = new InvalidRecordException(null, "record is not valid UTF-8");

        Rejection r = Rejections.of(e, "customs.exchange-rates", 0, 5L, utf8("EUR"), value, AT);

        assertThat(r.value()).isNull();
        assertThat(r.valueBase64()).isEqualTo(Base64.getEncoder().encodeToString(value));
        assertThat(Base64.getDecoder().decode(r.valueBase64())).isEqualTo(value);
        assertThat(r.field()).isNull();
        assertThat(r.reason()).isEqualTo("record is not valid UTF-8");
        assertThat(r.key()).isEqualTo("EUR");
    }

    @Test
    void nullKeyAndValueStayNull() {
        InvalidRecordException e = new InvalidRecordException(null, "record has no value (null)");
        Rejection r = Rejections.of(e, "customs.export-declarations", 1, 2L, null, null, AT);

        assertThat(r.key()).isNull();
        assertThat(r.value()).isNull();
        assertThat(r.valueBase64()).isNull();
        assertThat(r.rejectedAt()).isEqualTo(AT);
    }

    @Test
    void emptyValueIsEmptyText() {
        InvalidRecordException e = new InvalidRecordException(null, "record is empty");
        Rejection r = Rejections.of(e, "t", 0, 0L, new byte[0], new byte[0], AT);
        assertThat(r.value()).isEmpty();
        assertThat(r.valueBase64()).isNull();
        assertThat(r.key()).isEmpty();
    }

    @Test
    void worksEndToEndWithTheParser() {
        byte[] value = Fixtures.declaration().str("currency", "usd").bytes();
        InvalidRecordException e = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidRecordException.class,
                () -> ContractJson.instance().parseDeclaration(value));

        Rejection r = Rejections.of(e, "customs.export-declarations", 0, 9L, utf8("43210-25-0123456X"), value, AT);

        assertThat(r.field()).isEqualTo("currency");
        assertThat(r.reason()).startsWith("currency must be an ISO 4217");
        assertThat(r.value()).isEqualTo(Fixtures.declaration().str("currency", "usd").json());
    }
}
