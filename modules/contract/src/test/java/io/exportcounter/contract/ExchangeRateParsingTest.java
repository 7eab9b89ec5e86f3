package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.rate;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExchangeRateParsingTest {

    private final ContractJson json = ContractJson.instance();

    static Stream<Arguments> badRates() {
        return Stream.of(
                bad("KRW has a fixed rate", rate().str("currency", "KRW"), "currency", "fixed at 1"),
                bad("currency lower case", rate().str("currency", "eur"), "currency", "upper case"),
                bad("currency unknown", rate().str("currency", "XXY"), "currency", "not a known"),
                bad("currency missing", rate().without("currency"), "currency", "is required"),
                bad("currency null", rate().put("currency", "null"), "currency", "is required"),
                bad("currency number", rate().put("currency", "978"), "currency", "must be a string"),
                bad("krwPerUnit 0", rate().str("krwPerUnit", "0"), "krwPerUnit", "positive decimal"),
                bad("krwPerUnit 0.00000000", rate().str("krwPerUnit", "0.00000000"), "krwPerUnit", "positive decimal"),
                bad("krwPerUnit negative", rate().str("krwPerUnit", "-1523.45"), "krwPerUnit", "positive decimal"),
                bad("krwPerUnit 9 fraction digits", rate().str("krwPerUnit", "9.123456789"), "krwPerUnit",
                        "at most 8 fraction digits"),
                bad("krwPerUnit 16 integer digits", rate().str("krwPerUnit", "1234567890123456"), "krwPerUnit",
                        "at most 15 integer digits"),
                bad("krwPerUnit JSON number", rate().put("krwPerUnit", "1523.45"), "krwPerUnit", "not a JSON number"),
                bad("krwPerUnit exponent", rate().str("krwPerUnit", "1.52345E3"), "krwPerUnit", "no exponent"),
                bad("krwPerUnit missing", rate().without("krwPerUnit"), "krwPerUnit", "is required"),
                bad("validFrom without offset", rate().str("validFrom", "2025-12-28T00:00:00"), "validFrom", "offset"),
                bad("validFrom date only", rate().str("validFrom", "2025-12-28"), "validFrom", "date only"),
                bad("validFrom garbage", rate().str("validFrom", "next Sunday"), "validFrom", "ISO-8601"),
                bad("validFrom missing", rate().without("validFrom"), "validFrom", "is required"),
                bad("duplicate currency", rate().append("currency", "\"USD\""), "currency", "more than once"),
                bad("not an object", "[\"EUR\",\"1523.45\"]", null, "must be a JSON object"),
                bad("truncated", "{\"currency\":\"EUR\",\"krwPerUnit\":\"15", null, "truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRates")
    void rejectsBadRate(String description, byte[] input, String field, String reasonFragment) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> json.parseExchangeRate(input));

        assertThat(e).as("should be rejected: %s", description).isNotNull();
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        assertThat(e.reason()).contains(reasonFragment);
    }

    @Test
    void rejectsNonUtf8Rate() {
        byte[] input = rate().bytes();
        input[input.length - 3] = (byte) 0xFF;
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> json.parseExchangeRate(input));
        assertThat(e.field()).isNull();
        assertThat(e.reason()).contains("not valid UTF-8");
    }

    @Test
    void parsesTheContractExample() throws Exception {
        ExchangeRate r = json.parseExchangeRate(utf8(Fixtures.RATE));
        assertThat(r).isEqualTo(new ExchangeRate("EUR", new BigDecimal("1523.45"),
                OffsetDateTime.of(2025, 12, 28, 0, 0, 0, 0, ZoneOffset.ofHours(9))));
    }

    @Test
    void acceptsEightFractionDigitsAndFifteenIntegerDigits() throws Exception {
        ExchangeRate jpy = json.parseExchangeRate(rate().str("currency", "JPY").str("krwPerUnit", "9.12345678").bytes());
        ExchangeRate big = json.parseExchangeRate(rate().str("krwPerUnit", "123456789012345.00000001").bytes());

        assertThat(jpy.krwPerUnit().toPlainString()).isEqualTo("9.12345678");
        assertThat(big.krwPerUnit().toPlainString()).isEqualTo("123456789012345.00000001");
    }

    @Test
    void usdRateIsAnOrdinaryRate() throws Exception {
        ExchangeRate usd = json.parseExchangeRate(rate().str("currency", "USD").str("krwPerUnit", "1470.5").bytes());
        assertThat(usd.currency()).isEqualTo("USD");
        assertThat(usd.krwPerUnit()).isEqualTo(new BigDecimal("1470.5"));
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        ExchangeRate r = json.parseExchangeRate(rate().put("source", "{\"feed\":\"KCS\",\"seq\":[1,2]}").bytes());
        assertThat(r).isEqualTo(json.parseExchangeRate(utf8(Fixtures.RATE)));
    }

    private static Arguments bad(String description, Fixtures.Obj input, String field, String fragment) {
        return Arguments.of(description, input.bytes(), field, fragment);
    }

    private static Arguments bad(String description, String input, String field, String fragment) {
        return Arguments.of(description, utf8(input), field, fragment);
    }
}
