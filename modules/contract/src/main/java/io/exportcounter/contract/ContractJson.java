package io.exportcounter.contract;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Currency;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The strict JSON codec of the contract (CONTRACT.md sections 2-6), on Jackson's streaming API: no
 * databinding, so one declaration costs about a microsecond and every rule is enforced in one place.
 *
 * <p>Parsers throw {@link InvalidRecordException} naming the JSON field at fault (null when the record
 * as a whole is unusable); its reason is a predicate on that field ("must be ...", "is required"), so
 * {@code field + " " + reason} reads as a sentence. Writers produce compact UTF-8 JSON with the fields
 * in contract order, and {@code write(parse(b))} reproduces canonical bytes exactly.
 *
 * <p>Stateless and thread-safe: use {@link #instance()}.
 */
public final class ContractJson {

    private static final ContractJson INSTANCE = new ContractJson();

    /** ISO 4217 codes java.util.Currency knows, minus XXX ("no currency") and XTS ("testing"): no money. */
    private static final Set<String> CURRENCIES = currencies();
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private static final String DATE_TIME_EXAMPLE = "2025-12-29T13:03:27+09:00";
    private static final int MAX_ID_LENGTH = 32;

    // Field tables: the index of a name is its position in the contract, which is also the write order.
    private static final String[] DECLARATION_FIELDS = {"declarationId", "revision", "action", "acceptedAt",
            "exporterId", "exporterSize", "hsCode", "destination", "currency", "fobAmount", "amendedAt", "cancelledAt"};
    private static final int D_ID = 0;
    private static final int D_REVISION = 1;
    private static final int D_ACTION = 2;
    private static final int D_ACCEPTED_AT = 3;
    private static final int D_EXPORTER_ID = 4;
    private static final int D_EXPORTER_SIZE = 5;
    private static final int D_HS_CODE = 6;
    private static final int D_DESTINATION = 7;
    private static final int D_CURRENCY = 8;
    private static final int D_FOB = 9;
    /** Optional, outside CONTRACT.md's list: when a correction was made (see ExportDeclaration#correctedAt). */
    private static final int D_AMENDED_AT = 10;
    private static final int D_CANCELLED_AT = 11;
    /** declarationId, revision, action: the only fields a CANCEL is judged on. */
    private static final int CANCEL_FIELDS_MASK = (1 << D_ID) | (1 << D_REVISION) | (1 << D_ACTION);

    private static final String[] RATE_FIELDS = {"currency", "krwPerUnit", "validFrom"};
    private static final String[] TOTAL_FIELDS = {"period", "dimension", "member", "totalUsd", "declarations",
            "asOf", "exporters"};
    private static final String[] MILESTONE_FIELDS = {"milestoneId", "kind", "type", "period", "dimension",
            "member", "thresholdUsd", "totalUsd", "crossedAt", "crossedAtLocalTime", "declarationId",
            "detectedAt", "provisional", "firstTime", "firstReached", "previousThresholdUsd",
            "previousThresholdFirstReached", "recordPeriod", "since", "streak", "measure", "exporters",
            "previousBestExporters"};
    private static final String[] REJECTION_FIELDS = {"reason", "field", "sourceTopic", "partition", "offset",
            "key", "value", "valueBase64", "rejectedAt"};

    // Characters outside the BMP are written as 4-byte UTF-8, not as escaped surrogate pairs.
    private final JsonFactory factory = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private ContractJson() {
    }

    public static ContractJson instance() {
        return INSTANCE;
    }

    // ------------------------------------------------------------------ declarations (section 2)

    public ExportDeclaration parseDeclaration(byte[] utf8Json) throws InvalidRecordException {
        Raw r = readObject(utf8Json, DECLARATION_FIELDS);
        r.rejectDuplicates(CANCEL_FIELDS_MASK, false);
        String declarationId = r.declarationId(D_ID);
        int revision = (int) r.integer(D_REVISION, 0, Integer.MAX_VALUE);
        Action action = r.action(D_ACTION);
        if (action == Action.CANCEL) {
            // A withdrawal must never be lost to a stale or broken field it does not need.
            return ExportDeclaration.cancel(declarationId, revision, r.dateTimeIfValid(D_CANCELLED_AT));
        }
        r.rejectDuplicates(-1, true);
        OffsetDateTime acceptedAt = r.dateTime(D_ACCEPTED_AT);
        String exporterId = r.exporterId(D_EXPORTER_ID);
        ExporterSize exporterSize = r.exporterSize(D_EXPORTER_SIZE);
        String hsCode = r.hsCode(D_HS_CODE);
        String destination = r.country(D_DESTINATION);
        String currency = r.currency(D_CURRENCY);
        BigDecimal fobAmount = r.positiveDecimal(D_FOB, 15, 4);
        OffsetDateTime amendedAt = action == Action.AMEND ? r.dateTimeIfValid(D_AMENDED_AT) : null;
        return new ExportDeclaration(declarationId, revision, action, acceptedAt, exporterId, exporterSize,
                hsCode, destination, currency, fobAmount, amendedAt);
    }

    public byte[] write(ExportDeclaration d) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("declarationId", d.declarationId());
            g.writeNumberField("revision", d.revision());
            g.writeStringField("action", name(d.action()));
            if (d.action() != Action.CANCEL) {
                g.writeStringField("acceptedAt", dateTime(d.acceptedAt()));
                g.writeStringField("exporterId", d.exporterId());
                if (d.exporterSize() != null && d.exporterSize() != ExporterSize.UNKNOWN) {
                    g.writeStringField("exporterSize", d.exporterSize().name());
                }
                g.writeStringField("hsCode", d.hsCode());
                g.writeStringField("destination", d.destination());
                g.writeStringField("currency", d.currency());
                g.writeStringField("fobAmount", plain(d.fobAmount()));
            }
            if (d.correctedAt() != null && d.action() != Action.ACCEPT) {
                g.writeStringField(d.action() == Action.AMEND ? "amendedAt" : "cancelledAt", dateTime(d.correctedAt()));
            }
            g.writeEndObject();
        });
    }

    // ------------------------------------------------------------------ exchange rates (section 3)

    public ExchangeRate parseExchangeRate(byte[] utf8Json) throws InvalidRecordException {
        Raw r = readObject(utf8Json, RATE_FIELDS);
        r.rejectDuplicates(-1, true);
        String currency = r.currency(0);
        if (currency.equals("KRW")) {
            throw new InvalidRecordException(RATE_FIELDS[0],
                    "must not be KRW: KRW has no exchange rate, its rate is fixed at 1");
        }
        BigDecimal krwPerUnit = r.positiveDecimal(1, 15, 8);
        OffsetDateTime validFrom = r.dateTime(2);
        return new ExchangeRate(currency, krwPerUnit, validFrom);
    }

    public byte[] write(ExchangeRate rate) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("currency", rate.currency());
            g.writeStringField("krwPerUnit", plain(rate.krwPerUnit()));
            g.writeStringField("validFrom", dateTime(rate.validFrom()));
            g.writeEndObject();
        });
    }

    // ------------------------------------------------------------------ totals (section 4)

    public Total parseTotal(byte[] utf8Json) throws InvalidRecordException {
        Raw r = readObject(utf8Json, TOTAL_FIELDS);
        r.rejectDuplicates(-1, true);
        String period = r.period(0);
        Dimension dimension = r.dimension(1);
        String member = r.nonEmptyString(2);
        BigDecimal totalUsd = r.usd(3);
        long declarations = r.integer(4, 0, Long.MAX_VALUE);
        OffsetDateTime asOf = r.isAbsentOrNull(5) ? null : r.dateTime(5);
        Long exporters = r.isAbsentOrNull(6) ? null : r.integer(6, 0, Long.MAX_VALUE);
        return new Total(period, dimension, member, totalUsd, declarations, asOf, exporters);
    }

    public byte[] write(Total t) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("period", t.period());
            g.writeStringField("dimension", name(t.dimension()));
            g.writeStringField("member", t.member());
            g.writeStringField("totalUsd", cents(t.totalUsd()));
            g.writeNumberField("declarations", t.declarations());
            g.writeStringField("asOf", dateTime(t.asOf()));
            optionalNumber(g, "exporters", t.exporters());
            g.writeEndObject();
        });
    }

    // ------------------------------------------------------------------ milestones (section 5)

    public Milestone parseMilestone(byte[] utf8Json) throws InvalidRecordException {
        Raw r = readObject(utf8Json, MILESTONE_FIELDS);
        r.rejectDuplicates(-1, true);
        String milestoneId = r.nonEmptyString(0);
        MilestoneKind kind = r.milestoneKind(1);
        MilestoneType type = r.milestoneType(2);
        String period = kind == MilestoneKind.YEAR_TO_DATE_RECORD ? r.quarter(3) : r.period(3);
        Dimension dimension = r.dimension(4);
        String member = r.nonEmptyString(5);
        BigDecimal thresholdUsd = r.usd(6);
        BigDecimal totalUsd = r.usd(7);
        OffsetDateTime crossedAt = r.isAbsentOrNull(8) ? null : r.dateTime(8);
        String crossedAtLocalTime = r.isAbsentOrNull(9) ? null : r.string(9);
        String declarationId = r.isAbsentOrNull(10) ? null : r.declarationId(10);
        Instant detectedAt = r.dateTime(11).toInstant();
        boolean provisional = r.bool(12);
        Milestone.Story story = new Milestone.Story(
                r.isAbsentOrNull(13) ? null : r.bool(13),
                r.isAbsentOrNull(14) ? null : r.year(14),
                r.isAbsentOrNull(15) ? null : r.usd(15),
                r.isAbsentOrNull(16) ? null : r.year(16),
                r.isAbsentOrNull(17) ? null : r.recordPeriod(17),
                r.isAbsentOrNull(18) ? null : r.year(18),
                r.isAbsentOrNull(19) ? null : (int) r.integer(19, 1, Integer.MAX_VALUE),
                r.isAbsentOrNull(20) ? null : r.recordMeasure(20),
                r.isAbsentOrNull(21) ? null : r.integer(21, 0, Long.MAX_VALUE),
                r.isAbsentOrNull(22) ? null : r.integer(22, 0, Long.MAX_VALUE));
        return new Milestone(milestoneId, kind, type, period, dimension, member, thresholdUsd, totalUsd, crossedAt,
                crossedAtLocalTime, declarationId, detectedAt, provisional, story);
    }

    public byte[] write(Milestone m) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("milestoneId", m.milestoneId());
            g.writeStringField("kind", name(m.kind()));
            g.writeStringField("type", name(m.type()));
            g.writeStringField("period", m.period());
            g.writeStringField("dimension", name(m.dimension()));
            g.writeStringField("member", m.member());
            g.writeStringField("thresholdUsd", cents(m.thresholdUsd()));
            g.writeStringField("totalUsd", cents(m.totalUsd()));
            g.writeStringField("crossedAt", dateTime(m.crossedAt()));
            g.writeStringField("crossedAtLocalTime", m.crossedAtLocalTime());
            g.writeStringField("declarationId", m.declarationId());
            g.writeStringField("detectedAt", utcMillis(m.detectedAt()));
            g.writeBooleanField("provisional", m.provisional());
            // v2 fields: written where they apply, absent otherwise (a v1 milestone reads as before).
            Milestone.Story st = m.story();
            if (st.firstTime() != null) {
                g.writeBooleanField("firstTime", st.firstTime());
            }
            optionalString(g, "firstReached", st.firstReached());
            optionalString(g, "previousThresholdUsd", cents(st.previousThresholdUsd()));
            optionalString(g, "previousThresholdFirstReached", st.previousThresholdFirstReached());
            optionalString(g, "recordPeriod", st.recordPeriod());
            optionalString(g, "since", st.since());
            optionalNumber(g, "streak", st.streak());
            optionalString(g, "measure", st.measure() == null ? null : st.measure().name());
            optionalNumber(g, "exporters", st.exporters());
            optionalNumber(g, "previousBestExporters", st.previousBestExporters());
            g.writeEndObject();
        });
    }

    // ------------------------------------------------------------------ forecasts (section 5b)

    public Forecast parseForecast(byte[] utf8Json) throws InvalidRecordException {
        return ForecastJson.parse(utf8Json);
    }

    public byte[] write(Forecast f) {
        return write(g -> ForecastJson.write(g, f));
    }

    // ------------------------------------------------------------------ rejections (section 6)

    public Rejection parseRejection(byte[] utf8Json) throws InvalidRecordException {
        Raw r = readObject(utf8Json, REJECTION_FIELDS);
        r.rejectDuplicates(-1, true);
        String reason = r.string(0);
        String field = r.isAbsentOrNull(1) ? null : r.string(1);
        String sourceTopic = r.nonEmptyString(2);
        int partition = (int) r.integer(3, Integer.MIN_VALUE, Integer.MAX_VALUE);
        long offset = r.integer(4, Long.MIN_VALUE, Long.MAX_VALUE);
        String key = r.isAbsentOrNull(5) ? null : r.string(5);
        String value = r.isAbsentOrNull(6) ? null : r.string(6);
        String valueBase64 = r.isAbsentOrNull(7) ? null : r.base64(7);
        if (value != null && valueBase64 != null) {
            throw new InvalidRecordException(REJECTION_FIELDS[7], "must be null when value is set");
        }
        Instant rejectedAt = r.dateTime(8).toInstant();
        return new Rejection(reason, field, sourceTopic, partition, offset, key, value, valueBase64, rejectedAt);
    }

    public byte[] write(Rejection x) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("reason", x.reason());
            g.writeStringField("field", x.field());
            g.writeStringField("sourceTopic", x.sourceTopic());
            g.writeNumberField("partition", x.partition());
            g.writeNumberField("offset", x.offset());
            g.writeStringField("key", x.key());
            g.writeStringField("value", x.value());
            g.writeStringField("valueBase64", x.valueBase64());
            g.writeStringField("rejectedAt", utcMillis(x.rejectedAt()));
            g.writeEndObject();
        });
    }

    // ------------------------------------------------------------------ text helpers, public for reuse

    /** A date-time as the contract writes it: ISO-8601 with offset, seconds always, no {@code .000}. */
    public static String formatDateTime(OffsetDateTime t) {
        return IsoTime.format(t);
    }

    /**
     * A date-time as the contract reads it (ISO-8601 with an offset), without the microseconds of
     * {@code OffsetDateTime.parse}.
     *
     * @throws java.time.DateTimeException when the text is not such a date-time
     */
    public static OffsetDateTime parseDateTime(String text) {
        return IsoTime.parse(text);
    }

    /** A processing time as the contract writes it: UTC, {@code Z}, exactly three fraction digits. */
    public static String formatUtcMillis(Instant t) {
        return IsoTime.formatUtcMillis(t);
    }

    // ------------------------------------------------------------------ reading

    /** Reads one JSON object, keeping the raw token of each known field; all typing is done afterwards. */
    private Raw readObject(byte[] data, String[] names) throws InvalidRecordException {
        if (data == null) {
            throw new InvalidRecordException(null, "record has no value (null)");
        }
        if (data.length == 0) {
            throw new InvalidRecordException(null, "record is empty");
        }
        int bad = Utf8.firstInvalid(data);
        if (bad >= 0) {
            throw new InvalidRecordException(null, String.format(Locale.ROOT,
                    "record is not valid UTF-8 (ill-formed byte 0x%02X at offset %d)", data[bad] & 0xFF, bad));
        }
        // Jackson guesses UTF-16/32 from NUL bytes at the start; valid JSON text never has a NUL there.
        for (int i = 0; i < Math.min(4, data.length); i++) {
            if (data[i] == 0) {
                throw new InvalidRecordException(null, "record is not valid JSON (NUL byte at offset " + i + ")");
            }
        }
        Raw raw = new Raw(names);
        try (JsonParser p = factory.createParser(data)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidRecordException(null, "record is empty (whitespace only)");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(null, "record must be a JSON object, not " + describe(t));
            }
            int hint = 0;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                int idx = indexOf(names, name, hint);
                if (idx < 0) {
                    raw.noteUnknown(name);
                    p.skipChildren();
                    continue;
                }
                hint = idx + 1;
                int bit = 1 << idx;
                if ((raw.seen & bit) != 0) {
                    raw.duplicates |= bit;
                    p.skipChildren();
                    continue;
                }
                raw.seen |= bit;
                raw.tokens[idx] = v;
                switch (v) {
                    case VALUE_STRING:
                    case VALUE_NUMBER_INT:
                    case VALUE_NUMBER_FLOAT:
                        raw.texts[idx] = p.getText();
                        break;
                    case START_OBJECT:
                    case START_ARRAY:
                        p.skipChildren();
                        break;
                    default:
                        break;
                }
            }
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw new InvalidRecordException(null, "record has trailing data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            // Jackson reports some ends of input as plain parse errors; the position tells them apart.
            if (e instanceof JsonEOFException || at >= data.length) {
                throw new InvalidRecordException(null, "record is truncated JSON (ends before the object is closed)");
            }
            throw new InvalidRecordException(null, "record is not valid JSON ("
                    + (at >= 0 ? "at byte " + at + ": " : "") + shorten(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            // Reading from a byte[] does no I/O; anything here is a malformed document.
            throw new InvalidRecordException(null, "record is not valid JSON (" + shorten(e.getMessage()) + ")");
        }
        return raw;
    }

    private static int indexOf(String[] names, String name, int hint) {
        // Jackson interns field names, so in the usual (contract-ordered) case this is one identity check.
        if (hint < names.length && names[hint] == name) {
            return hint;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String shorten(String message) {
        if (message == null) {
            return "malformed";
        }
        int cut = message.indexOf('\n');
        String s = cut >= 0 ? message.substring(0, cut) : message;
        int src = s.indexOf(" at [Source");
        if (src >= 0) {
            s = s.substring(0, src);
        }
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            default:
                return t.name();
        }
    }

    /** The known fields of one object as read, and the typed, validating accessors over them. */
    private static final class Raw {
        final String[] names;
        final JsonToken[] tokens;
        final String[] texts;
        int seen;
        int duplicates;
        Set<String> unknown;
        String duplicateUnknown;

        Raw(String[] names) {
            this.names = names;
            this.tokens = new JsonToken[names.length];
            this.texts = new String[names.length];
        }

        void noteUnknown(String name) {
            if (unknown == null) {
                unknown = new HashSet<>(4);
            }
            if (!unknown.add(name) && duplicateUnknown == null) {
                duplicateUnknown = name;
            }
        }

        /** Rejects the first duplicated field among {@code mask}, and duplicated unknown fields if asked. */
        void rejectDuplicates(int mask, boolean unknownToo) throws InvalidRecordException {
            int d = duplicates & mask;
            if (d != 0) {
                throw duplicated(names[Integer.numberOfTrailingZeros(d)]);
            }
            if (unknownToo && duplicateUnknown != null) {
                throw duplicated(duplicateUnknown);
            }
        }

        private static InvalidRecordException duplicated(String field) {
            return new InvalidRecordException(field, "appears more than once (duplicate field)");
        }

        boolean isAbsentOrNull(int i) {
            return tokens[i] == null || tokens[i] == JsonToken.VALUE_NULL;
        }

        private InvalidRecordException fail(int i, String reason) {
            return new InvalidRecordException(names[i], reason);
        }

        private void requirePresent(int i) throws InvalidRecordException {
            if (tokens[i] == null) {
                throw fail(i, "is required");
            }
            if (tokens[i] == JsonToken.VALUE_NULL) {
                throw fail(i, "is required (null given)");
            }
        }

        String string(int i) throws InvalidRecordException {
            requirePresent(i);
            if (tokens[i] != JsonToken.VALUE_STRING) {
                throw fail(i, "must be a string, not " + describe(tokens[i]));
            }
            return texts[i];
        }

        String nonEmptyString(int i) throws InvalidRecordException {
            String s = string(i);
            if (s.isEmpty()) {
                throw fail(i, "must not be empty");
            }
            return s;
        }

        /** A JSON integer (not 1.0, not "1") within [min, max]. */
        long integer(int i, long min, long max) throws InvalidRecordException {
            requirePresent(i);
            JsonToken t = tokens[i];
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail(i, "must be a JSON integer, not a decimal number");
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw fail(i, "must be a JSON integer, not " + describe(t));
            }
            String range = "must be an integer from " + min + " to " + max;
            long v;
            try {
                v = Long.parseLong(texts[i]);
            } catch (NumberFormatException e) {
                throw fail(i, range);
            }
            if (v < min || v > max) {
                throw fail(i, range);
            }
            return v;
        }

        boolean bool(int i) throws InvalidRecordException {
            requirePresent(i);
            if (tokens[i] == JsonToken.VALUE_TRUE) {
                return true;
            }
            if (tokens[i] == JsonToken.VALUE_FALSE) {
                return false;
            }
            throw fail(i, "must be true or false, not " + describe(tokens[i]));
        }

        String declarationId(int i) throws InvalidRecordException {
            String s = string(i);
            String rule = "must be 1 to 32 characters of A-Z, a-z, 0-9 and '-'";
            if (s.isEmpty() || s.length() > MAX_ID_LENGTH) {
                throw fail(i, rule + " (has " + s.length() + ")");
            }
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    throw fail(i, rule + " (bad character at position " + (k + 1) + ")");
                }
            }
            return s;
        }

        Action action(int i) throws InvalidRecordException {
            return oneOf(i, Action.values(), "must be one of ACCEPT, AMEND, CANCEL");
        }

        OffsetDateTime dateTime(int i) throws InvalidRecordException {
            String s = string(i);
            try {
                return IsoTime.parse(s);
            } catch (DateTimeException e) {
                String m = e.getMessage();
                if (IsoTime.NO_OFFSET.equals(m)) {
                    throw fail(i, "must have a UTC offset or Z, like " + DATE_TIME_EXAMPLE);
                }
                if (IsoTime.DATE_ONLY.equals(m)) {
                    throw fail(i, "must be a date-time with an offset, like " + DATE_TIME_EXAMPLE + ", not a date only");
                }
                if (IsoTime.MALFORMED.equals(m)) {
                    throw fail(i, "must be an ISO-8601 date-time with an offset, like " + DATE_TIME_EXAMPLE);
                }
                throw fail(i, "is not a valid date-time (" + m + ")");
            }
        }

        /** An optional date-time: null when absent, null or not a valid one (see ExportDeclaration#correctedAt). */
        OffsetDateTime dateTimeIfValid(int i) {
            if (tokens[i] != JsonToken.VALUE_STRING) {
                return null;
            }
            try {
                return IsoTime.parse(texts[i]);
            } catch (DateTimeException e) {
                return null;
            }
        }

        String exporterId(int i) throws InvalidRecordException {
            String s = string(i);
            int codePoints = s.codePointCount(0, s.length());
            if (codePoints < 1 || codePoints > MAX_ID_LENGTH) {
                throw fail(i, "must be 1 to 32 characters (has " + codePoints + ")");
            }
            if (s.isBlank()) {
                throw fail(i, "must not be blank");
            }
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (Character.isISOControl(c)) {
                    throw fail(i, "must not contain control characters");
                }
                // A lone surrogate can only come from a \\u escape; it is not text and could not be written back.
                if (Character.isHighSurrogate(c)) {
                    if (k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                        k++;
                        continue;
                    }
                    throw fail(i, "must not contain unpaired surrogates");
                }
                if (Character.isLowSurrogate(c)) {
                    throw fail(i, "must not contain unpaired surrogates");
                }
            }
            return s;
        }

        ExporterSize exporterSize(int i) throws InvalidRecordException {
            if (isAbsentOrNull(i)) {
                return ExporterSize.UNKNOWN;
            }
            // UNKNOWN is how a missing size reads; it is never written, so it is not accepted as text.
            return oneOf(i, new ExporterSize[] {ExporterSize.LARGE, ExporterSize.MIDSIZE, ExporterSize.SME},
                    "must be one of LARGE, MIDSIZE, SME (or be left out)");
        }

        String hsCode(int i) throws InvalidRecordException {
            String s = string(i);
            boolean ok = s.length() >= 6 && s.length() <= 10;
            for (int k = 0; ok && k < s.length(); k++) {
                char c = s.charAt(k);
                ok = c >= '0' && c <= '9';
            }
            if (!ok) {
                throw fail(i, "must be 6 to 10 digits");
            }
            return s;
        }

        String country(int i) throws InvalidRecordException {
            return code(i, 2, COUNTRIES, "must be an ISO 3166-1 alpha-2 country code in upper case, like US",
                    "is not a known ISO 3166-1 alpha-2 country code");
        }

        String currency(int i) throws InvalidRecordException {
            return code(i, 3, CURRENCIES, "must be an ISO 4217 alpha-3 currency code in upper case, like USD",
                    "is not a known ISO 4217 currency code");
        }

        /** A code of {@code length} upper-case letters that is one of {@code known}. */
        private String code(int i, int length, Set<String> known, String badForm, String unknown)
                throws InvalidRecordException {
            String s = string(i);
            if (!isUpper(s, length)) {
                throw fail(i, badForm);
            }
            if (!known.contains(s)) {
                throw fail(i, unknown);
            }
            return s;
        }

        private static boolean isUpper(String s, int length) {
            if (s.length() != length) {
                return false;
            }
            for (int k = 0; k < length; k++) {
                char c = s.charAt(k);
                if (c < 'A' || c > 'Z') {
                    return false;
                }
            }
            return true;
        }

        /** A JSON string holding a plain decimal > 0 (the contract's money and rate grammar). */
        BigDecimal positiveDecimal(int i, int maxIntegerDigits, int maxFractionDigits) throws InvalidRecordException {
            BigDecimal v = decimal(i, maxIntegerDigits, maxFractionDigits, false);
            if (v.signum() <= 0) {
                throw fail(i, "must be a positive decimal (greater than 0)");
            }
            return v;
        }

        /** USD exact to the cent, as totals and milestones carry it; returned with scale 2. */
        BigDecimal usd(int i) throws InvalidRecordException {
            return decimal(i, 30, 2, true).setScale(2, RoundingMode.UNNECESSARY);
        }

        private BigDecimal decimal(int i, int maxIntegerDigits, int maxFractionDigits, boolean signed)
                throws InvalidRecordException {
            requirePresent(i);
            JsonToken t = tokens[i];
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail(i, "must be a JSON string holding the decimal (like \"1250000.00\"), not a JSON number");
            }
            String s = string(i);
            String plain = signed ? "must be a plain decimal string like \"1250000.00\" (no exponent, no spaces)"
                    : "must be a positive decimal written plainly, like \"1250000.00\" (no sign, no exponent, no spaces)";
            int n = s.length();
            int k = 0;
            if (signed && n > 0 && s.charAt(0) == '-') {
                k = 1;
            }
            int intStart = k;
            while (k < n && isDigit(s.charAt(k))) {
                k++;
            }
            int intDigits = k - intStart;
            int fracDigits = 0;
            if (k < n && s.charAt(k) == '.') {
                k++;
                int fracStart = k;
                while (k < n && isDigit(s.charAt(k))) {
                    k++;
                }
                fracDigits = k - fracStart;
                if (fracDigits == 0) {
                    throw fail(i, plain);
                }
            }
            if (intDigits == 0 || k != n) {
                throw fail(i, plain);
            }
            if (intDigits > 1 && s.charAt(intStart) == '0') {
                throw fail(i, plain + " and no leading zeros");
            }
            if (intDigits > maxIntegerDigits) {
                throw fail(i, "must have at most " + maxIntegerDigits + " integer digits");
            }
            if (fracDigits > maxFractionDigits) {
                throw fail(i, "must have at most " + maxFractionDigits + " fraction digits");
            }
            return new BigDecimal(s);
        }

        /** A year-to-date period: a year and its quarter, {@code 2025-Q3}. */
        String quarter(int i) throws InvalidRecordException {
            String s = string(i);
            if (!(s.length() == 7 && allDigits(s, 0, 4) && s.startsWith("-Q", 4) && s.charAt(6) >= '1' && s.charAt(6) <= '4')) {
                throw fail(i, "must be a year and quarter (2025-Q3)");
            }
            return s;
        }

        /** A year ({@code 2018}). */
        String year(int i) throws InvalidRecordException {
            String s = string(i);
            if (!(s.length() == 4 && allDigits(s, 0, 4))) {
                throw fail(i, "must be a year (2018)");
            }
            return s;
        }

        /** The period that held a record: a year, a month or a year-to-date quarter. */
        String recordPeriod(int i) throws InvalidRecordException {
            String s = string(i);
            if (s.length() == 7 && s.startsWith("-Q", 4)) {
                return quarter(i);
            }
            return period(i);
        }

        RecordMeasure recordMeasure(int i) throws InvalidRecordException {
            return oneOf(i, RecordMeasure.values(), "must be VALUE or EXPORTERS");
        }

        String period(int i) throws InvalidRecordException {
            String s = string(i);
            boolean year = s.length() == 4 && allDigits(s, 0, 4);
            boolean month = s.length() == 7 && allDigits(s, 0, 4) && s.charAt(4) == '-' && allDigits(s, 5, 7);
            if (month) {
                int m = (s.charAt(5) - '0') * 10 + (s.charAt(6) - '0');
                month = m >= 1 && m <= 12;
            }
            if (!year && !month) {
                throw fail(i, "must be a year (2025) or a month (2025-11)");
            }
            return s;
        }

        Dimension dimension(int i) throws InvalidRecordException {
            return oneOf(i, Dimension.values(), "must be one of NATIONAL, CATEGORY, DESTINATION, REGION, EXPORTER_SIZE");
        }

        MilestoneKind milestoneKind(int i) throws InvalidRecordException {
            return oneOf(i, MilestoneKind.values(), "must be THRESHOLD or MONTHLY_RECORD");
        }

        MilestoneType milestoneType(int i) throws InvalidRecordException {
            return oneOf(i, MilestoneType.values(), "must be CROSSED or RETRACTED");
        }

        /** The constant of {@code values} named exactly as the string, or {@code must} as the reason. */
        private <E extends Enum<E>> E oneOf(int i, E[] values, String must) throws InvalidRecordException {
            String s = string(i);
            for (E e : values) {
                if (e.name().equals(s)) {
                    return e;
                }
            }
            throw fail(i, must);
        }

        String base64(int i) throws InvalidRecordException {
            String s = string(i);
            try {
                Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw fail(i, "must be Base64 (RFC 4648)");
            }
            return s;
        }

        private static boolean allDigits(String s, int from, int to) {
            for (int k = from; k < to; k++) {
                if (!isDigit(s.charAt(k))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes one JSON document with Jackson's streaming generator. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * A JSON document written as the records of the contract are: compact UTF-8, characters outside
     * the BMP as 4-byte UTF-8. Public for the other documents of the project (the notifier's).
     */
    public byte[] write(Body body) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void optionalString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /** A whole number (an Integer or a Long), left out when null. */
    private static void optionalNumber(JsonGenerator g, String field, Number value) throws IOException {
        if (value != null) {
            g.writeNumberField(field, value.longValue());
        }
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static String dateTime(OffsetDateTime t) {
        return t == null ? null : IsoTime.format(t);
    }

    private static String utcMillis(Instant t) {
        return t == null ? null : IsoTime.formatUtcMillis(t);
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.toPlainString();
    }

    /** Scale 2; throws ArithmeticException rather than silently round money that is not exact to the cent. */
    private static String cents(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static Set<String> currencies() {
        Set<String> codes = new HashSet<>();
        for (Currency c : Currency.getAvailableCurrencies()) {
            codes.add(c.getCurrencyCode());
        }
        codes.remove("XXX");
        codes.remove("XTS");
        return Set.copyOf(codes);
    }
}
