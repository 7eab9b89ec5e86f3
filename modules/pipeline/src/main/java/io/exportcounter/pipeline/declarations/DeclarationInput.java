package io.exportcounter.pipeline.declarations;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A record of the declarations topic as it enters stage 1: parsed and validated once, by the source's
 * deserializer, so the timestamp extractor and the processor both use that one parse. Invalid input
 * is not an exception here: it arrives as {@code error}, with the bytes, for stage 1 to reject.
 *
 * @param raw the record value as it was on the topic (may be null)
 * @param declaration the valid declaration, or null
 * @param error why the value is not a valid declaration, or null
 */
public record DeclarationInput(byte[] raw, ExportDeclaration declaration, InvalidRecordException error) {

    static DeclarationInput parse(byte[] raw) {
        try {
            return new DeclarationInput(raw, ContractJson.instance().parseDeclaration(raw), null);
        } catch (InvalidRecordException e) {
            return new DeclarationInput(raw, null, e);
        }
    }

    /** Deserializes without ever throwing; serializes back to the original bytes. */
    public static Serde<DeclarationInput> serde() {
        Deserializer<DeclarationInput> de = (topic, bytes) -> parse(bytes);
        Serializer<DeclarationInput> ser = (topic, input) -> input == null ? null : input.raw();
        return Serdes.serdeFrom(ser, de);
    }
}
