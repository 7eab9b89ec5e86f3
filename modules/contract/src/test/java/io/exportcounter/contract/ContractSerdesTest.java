package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ContractSerdesTest {

    private static final String TOPIC = "any-topic";

    @Test
    void everySerdeRoundTripsTheContractExample() {
        assertRoundTrip(ContractSerdes.declarations(), Fixtures.DECLARATION);
        assertRoundTrip(ContractSerdes.exchangeRates(), Fixtures.RATE);
        assertRoundTrip(ContractSerdes.totals(), Fixtures.TOTAL);
        assertRoundTrip(ContractSerdes.milestones(), Fixtures.MILESTONE);
        assertRoundTrip(ContractSerdes.rejections(), Fixtures.REJECTION);
    }

    @Test
    void nullMapsToNullBothWays() {
        for (Serde<?> serde : new Serde<?>[]{ContractSerdes.declarations(), ContractSerdes.exchangeRates(),
                ContractSerdes.totals(), ContractSerdes.milestones(), ContractSerdes.rejections()}) {
            assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
            assertThat(serializeNull(serde)).isNull();
        }
    }

    @Test
    void badBytesFailWithSerializationExceptionCarryingTheReason() {
        byte[] bad = Fixtures.declaration().str("fobAmount", "-1").bytes();
        assertThatThrownBy(() -> ContractSerdes.declarations().deserializer().deserialize(TOPIC, bad))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("fobAmount: must be a positive decimal")
                .hasCauseInstanceOf(InvalidRecordException.class);

        assertThatThrownBy(() -> ContractSerdes.exchangeRates().deserializer().deserialize(TOPIC,
                new byte[]{(byte) 0xC0, (byte) 0x80}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not valid UTF-8");

        assertThatThrownBy(() -> ContractSerdes.totals().deserializer().deserialize(TOPIC, utf8("{}")))
                .isInstanceOf(SerializationException.class)
                .hasMessage("period: is required");

        assertThatThrownBy(() -> ContractSerdes.milestones().deserializer().deserialize(TOPIC, utf8("[]")))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> ContractSerdes.rejections().deserializer().deserialize(TOPIC, utf8("{")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated");
    }

    private static <T> void assertRoundTrip(Serde<T> serde, String canonical) {
        T value = serde.deserializer().deserialize(TOPIC, utf8(canonical));
        assertThat(value).isNotNull();
        assertThat(serde.serializer().serialize(TOPIC, value)).isEqualTo(utf8(canonical));
    }

    private static <T> byte[] serializeNull(Serde<T> serde) {
        return serde.serializer().serialize(TOPIC, null);
    }
}
