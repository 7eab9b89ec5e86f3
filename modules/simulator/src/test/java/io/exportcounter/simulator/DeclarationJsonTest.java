package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeclarationJsonTest {
    private static final ContractJson CODEC = ContractJson.instance();
    private static final long CROSSING = OffsetDateTime.parse("2025-12-29T13:03:27+09:00").toEpochSecond();

    private static DeclarationJson.Fields fields(String action, String currency, String fob) {
        return new DeclarationJson.Fields("43210-25-0123456X", action.equals("ACCEPT") ? 0 : 1, action, CROSSING,
                "1208147521", "LARGE", "8901201000", "MH", currency, fob, "ULSAN", "SEA", CROSSING + 3600);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD:243367000.00", "JPY:35123456789", "KRW:1000", "EUR:0.01"})
    void declarations_keep_the_contract_and_their_extra_fields_are_ignored(String currencyAndFob) throws Exception {
        String[] cf = currencyAndFob.split(":");
        DeclarationJson json = new DeclarationJson();
        ExportDeclaration d = CODEC.parseDeclaration(json.write(fields("ACCEPT", cf[0], cf[1])));
        assertThat(d.acceptedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(d.fobAmount()).isEqualTo(new BigDecimal(cf[1]));
        assertThat(d.currency()).isEqualTo(cf[0]);
        assertThat(CODEC.parseDeclaration(json.write(fields("AMEND", cf[0], cf[1]))).action()).isEqualTo(Action.AMEND);
        ExportDeclaration cancel = CODEC.parseDeclaration(json.write(fields("CANCEL", cf[0], cf[1])));
        assertThat(cancel.action()).isEqualTo(Action.CANCEL);
        assertThat(cancel.revision()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void every_malformed_kind_is_rejected_by_the_contract_codec(int kind) {
        DeclarationJson json = new DeclarationJson();
        for (String currencyAndFob : new String[] {"USD:1250000.00", "JPY:123456", "KRW:30004"}) {
            String[] cf = currencyAndFob.split(":");
            byte[] bad = json.malformed(fields("ACCEPT", cf[0], cf[1]), kind);
            assertThatThrownBy(() -> CODEC.parseDeclaration(bad)).as("kind %d, %s", kind, currencyAndFob)
                    .isInstanceOf(InvalidRecordException.class);
        }
    }
}
