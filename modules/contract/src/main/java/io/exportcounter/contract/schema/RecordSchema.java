package io.exportcounter.contract.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas (draft 2020-12) of every record Export Counter reads or writes, shipped in this jar
 * next to this class ({@code io/exportcounter/contract/schema/*.schema.json}) and copied in
 * {@code docs/schemas/}. Each schema's {@code $id} is {@link #BASE_ID} plus its file name; the record
 * schemas share the definitions of {@link #COMMON_FILE} and refer to each other by relative {@code $ref}.
 *
 * <p>The schemas are for any consumer's validator. {@link #allById()} hands a validator every file at
 * once, so that it resolves the {@code $ref}s without fetching anything.
 */
public enum RecordSchema {
    /** CONTRACT.md section 2; open: unknown extra fields are ignored. */
    EXPORT_DECLARATION("export-declaration", "customs.export-declarations"),
    /** CONTRACT.md section 3; open: unknown extra fields are ignored. */
    EXCHANGE_RATE("exchange-rate", "customs.exchange-rates"),
    /** CONTRACT.md section 4. */
    TOTAL("total", "export.totals"),
    /** CONTRACT.md section 5, every kind and its v2 fields. */
    MILESTONE("milestone", "export.milestones"),
    /** CONTRACT.md section 6. */
    REJECTION("rejection", "export.declarations.rejected"),
    /** CONTRACT.md section 5b. */
    FORECAST("forecast", "export.forecasts"),
    /** The notifier's record of a notice done on one channel. */
    NOTIFICATION_DELIVERED("notification-delivered", "export.notifications.delivered"),
    /** The notifier's dead letter: a notice given up on, or a milestones record it could not read. */
    NOTIFICATION_DEAD_LETTER("notification-dead-letter", "export.notifications.dead"),
    /** The body the notifier POSTs to its webhook (HTTP, not a topic). */
    NOTIFIER_WEBHOOK_BODY("notifier-webhook-body", null),
    /** One line of the notifier's outbox file (a file, not a topic). */
    NOTIFIER_OUTBOX_LINE("notifier-outbox-line", null);

    /** The {@code $id} of every schema is this plus its file name. An identifier, not an address to fetch. */
    public static final String BASE_ID = "https://exportcounter.io/schema/";
    /** The definitions the record schemas share (money, times, codes, periods); not a record. */
    public static final String COMMON_FILE = "common.schema.json";

    private final String name;
    private final String defaultTopic;

    RecordSchema(String name, String defaultTopic) {
        this.name = name;
        this.defaultTopic = defaultTopic;
    }

    /** {@code total.schema.json}: the resource next to this class, and the file in {@code docs/schemas/}. */
    public String fileName() {
        return name + ".schema.json";
    }

    /** The schema's {@code $id}. */
    public URI id() {
        return URI.create(BASE_ID + fileName());
    }

    /** The topic the record travels on by default (each can be renamed in config); empty for a file or HTTP body. */
    public Optional<String> defaultTopic() {
        return Optional.ofNullable(defaultTopic);
    }

    /** The schema as JSON text. */
    public String text() {
        return read(fileName());
    }

    /** Every schema file, {@link #COMMON_FILE} included, as JSON text by {@code $id}. */
    public static Map<String, String> allById() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(BASE_ID + COMMON_FILE, read(COMMON_FILE));
        for (RecordSchema s : values()) {
            all.put(s.id().toString(), s.text());
        }
        return all;
    }

    /** The text of a schema file shipped next to this class. */
    public static String read(String fileName) {
        try (InputStream in = RecordSchema.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("schema " + fileName + " is not on the class path next to "
                        + RecordSchema.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + fileName, e);
        }
    }
}
