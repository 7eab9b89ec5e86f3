package io.exportcounter.contract;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.function.Function;

/**
 * Kafka serdes for the contract records, backed by {@link ContractJson}. Null bytes and null records map
 * to each other (tombstones). A record that breaks the contract fails with a {@link SerializationException}
 * whose message is the {@link InvalidRecordException}'s (also its cause); code that must route bad input to
 * the rejected topic should call {@link ContractJson} directly instead, to keep the field.
 */
public final class ContractSerdes {
    private static final ContractJson JSON = ContractJson.instance();

    private static final Serde<ExportDeclaration> DECLARATIONS = serde(JSON::write, JSON::parseDeclaration);
    private static final Serde<ExchangeRate> EXCHANGE_RATES = serde(JSON::write, JSON::parseExchangeRate);
    private static final Serde<Total> TOTALS = serde(JSON::write, JSON::parseTotal);
    private static final Serde<Milestone> MILESTONES = serde(JSON::write, JSON::parseMilestone);
    private static final Serde<Rejection> REJECTIONS = serde(JSON::write, JSON::parseRejection);

    private ContractSerdes() {
    }

    public static Serde<ExportDeclaration> declarations() {
        return DECLARATIONS;
    }

    public static Serde<ExchangeRate> exchangeRates() {
        return EXCHANGE_RATES;
    }

    public static Serde<Total> totals() {
        return TOTALS;
    }

    public static Serde<Milestone> milestones() {
        return MILESTONES;
    }

    public static Serde<Rejection> rejections() {
        return REJECTIONS;
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(byte[] data) throws InvalidRecordException;
    }

    private static <T> Serde<T> serde(Function<T, byte[]> writer, Parser<T> parser) {
        Serializer<T> serializer = (topic, record) -> record == null ? null : writer.apply(record);
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return parser.parse(data);
            } catch (InvalidRecordException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
