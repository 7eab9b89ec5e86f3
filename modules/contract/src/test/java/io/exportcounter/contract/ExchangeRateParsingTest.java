package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.assertRejected;
import static io.exportcounter.contract.Fixtures.rate;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExchangeRateParsingTest {

    private final ContractJson json = ContractJson.instance();

    /** The contract example with one edit: a raw JSON value put in, a field left out or appended again. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # description                | edit    | key        | raw JSON value        | field      | reason contains
            KRW has a fixed rate         | put     | currency   | "KRW"                 | currency   | fixed at 1
            currency lower case          | put     | currency   | "eur"                 | currency   | upper case
            currency unknown             | put     | currency   | "XXY"                 | currency   | not a known
            currency missing             | without | currency   |                       | currency   | is required
            currency null                | put     | currency   | null                  | currency   | is required
            currency number              | put     | currency   | 978                   | currency   | must be a string
            krwPerUnit 0                 | put     | krwPerUnit | "0"                   | krwPerUnit | positive decimal
            krwPerUnit 0.00000000        | put     | krwPerUnit | "0.00000000"          | krwPerUnit | positive decimal
            krwPerUnit negative          | put     | krwPerUnit | "-1523.45"            | krwPerUnit | positive decimal
            krwPerUnit 9 fraction digits | put     | krwPerUnit | "9.123456789"         | krwPerUnit | at most 8 fraction digits
            krwPerUnit 16 integer digits | put     | krwPerUnit | "1234567890123456"    | krwPerUnit | at most 15 integer digits
            krwPerUnit JSON number       | put     | krwPerUnit | 1523.45               | krwPerUnit | not a JSON number
            krwPerUnit exponent          | put     | krwPerUnit | "1.52345E3"           | krwPerUnit | no exponent
            krwPerUnit missing           | without | krwPerUnit |                       | krwPerUnit | is required
            validFrom without offset     | put     | validFrom  | "2025-12-28T00:00:00" | validFrom  | offset
            validFrom date only          | put     | validFrom  | "2025-12-28"          | validFrom  | date only
            validFrom garbage            | put     | validFrom  | "next Sunday"         | validFrom  | ISO-8601
            validFrom missing            | without | validFrom  |                       | validFrom  | is required
            duplicate currency           | append  | currency   | "USD"                 | currency   | more than once
            """)
    void rejectsBadRate(String description, String edit, String key, String rawValue, String field,
            String reasonFragment) {
        byte[] input = rate().edit(edit, key, rawValue).bytes();

        assertRejected(description, () -> json.parseExchangeRate(input), field, reasonFragment);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            not an object | ["EUR","1523.45"]                  | must be a JSON object
            truncated     | {"currency":"EUR","krwPerUnit":"15 | truncated
            """)
    void rejectsBadRateAsAWhole(String description, String input, String reasonFragment) {
        assertRejected(description, () -> json.parseExchangeRate(utf8(input)), null, reasonFragment);
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
}
