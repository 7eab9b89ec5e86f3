package io.exportcounter.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The forecast record of CONTRACT.md section 5b in JSON: written and read for {@link ContractJson}. */
final class ForecastJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern USD = Pattern.compile("-?(0|[1-9][0-9]{0,16})\\.[0-9]{2}");
    private static final Pattern PROBABILITY = Pattern.compile("(0\\.[0-9]{2}|1\\.00)");
    private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
    private static final Set<String> FIELDS = Set.of("year", "dimension", "member", "asOf", "totalUsd",
            "projectedYearEndUsd", "projectedYearEndRange", "thresholds", "method");
    private static final Set<String> THRESHOLD_FIELDS = Set.of("thresholdUsd", "expectedAt", "expectedAtLocalTime", "range",
            "probabilityThisYear");

    private ForecastJson() {
    }

    static void write(com.fasterxml.jackson.core.JsonGenerator g, Forecast f) throws IOException {
        g.writeStartObject();
        g.writeStringField("year", f.year());
        g.writeStringField("dimension", f.dimension().name());
        g.writeStringField("member", f.member());
        g.writeStringField("asOf", IsoTime.format(f.asOf()));
        g.writeStringField("totalUsd", cents(f.totalUsd()));
        g.writeStringField("projectedYearEndUsd", cents(f.projectedYearEndUsd()));
        g.writeFieldName("projectedYearEndRange");
        if (f.projectedYearEndRange() == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeStringField("low", cents(f.projectedYearEndRange().low()));
            g.writeStringField("high", cents(f.projectedYearEndRange().high()));
            g.writeEndObject();
        }
        g.writeArrayFieldStart("thresholds");
        for (Forecast.ThresholdForecast t : f.thresholds()) {
            g.writeStartObject();
            g.writeStringField("thresholdUsd", cents(t.thresholdUsd()));
            g.writeStringField("expectedAt", t.expectedAt() == null ? null : IsoTime.format(t.expectedAt()));
            g.writeStringField("expectedAtLocalTime", t.expectedAtLocalTime());
            g.writeObjectFieldStart("range");
            g.writeStringField("earliest", t.range().earliest() == null ? null : IsoTime.format(t.range().earliest()));
            g.writeStringField("latest", t.range().latest() == null ? null : IsoTime.format(t.range().latest()));
            g.writeEndObject();
            g.writeStringField("probabilityThisYear", t.probabilityThisYear() == null ? null
                    : t.probabilityThisYear().setScale(2, RoundingMode.UNNECESSARY).toPlainString());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("method", f.method());
        g.writeEndObject();
    }

    static Forecast parse(byte[] utf8Json) throws InvalidRecordException {
        JsonNode root;
        try {
            root = MAPPER.readTree(utf8Json);
        } catch (IOException e) {
            throw new InvalidRecordException(null, "is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(null, "must be a JSON object");
        }
        onlyKnown(root, FIELDS, "");
        String year = text(root, "year", true);
        if (!YEAR.matcher(year).matches()) {
            throw new InvalidRecordException("year", "must be four digits, was '" + year + "'");
        }
        Dimension dimension;
        try {
            dimension = Dimension.valueOf(text(root, "dimension", true));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("dimension", "is not a dimension of the contract");
        }
        String member = text(root, "member", true);
        OffsetDateTime asOf = time(root, "asOf", "asOf", true);
        BigDecimal total = usd(root, "totalUsd", "totalUsd", true);
        BigDecimal projected = usd(root, "projectedYearEndUsd", "projectedYearEndUsd", true);
        Forecast.Range range = null;
        JsonNode r = required(root, "projectedYearEndRange", "projectedYearEndRange");
        if (!r.isNull()) {
            onlyKnown(r, Set.of("low", "high"), "projectedYearEndRange.");
            range = new Forecast.Range(usd(r, "low", "projectedYearEndRange.low", true),
                    usd(r, "high", "projectedYearEndRange.high", true));
        }
        JsonNode ts = required(root, "thresholds", "thresholds");
        if (!ts.isArray()) {
            throw new InvalidRecordException("thresholds", "must be an array");
        }
        List<Forecast.ThresholdForecast> thresholds = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            JsonNode t = ts.get(i);
            String at = "thresholds[" + i + "].";
            if (!t.isObject()) {
                throw new InvalidRecordException("thresholds[" + i + "]", "must be an object");
            }
            onlyKnown(t, THRESHOLD_FIELDS, at);
            JsonNode tr = required(t, "range", at + "range");
            if (!tr.isObject()) {
                throw new InvalidRecordException(at + "range", "must be an object");
            }
            onlyKnown(tr, Set.of("earliest", "latest"), at + "range.");
            String probability = text(t, "probabilityThisYear", false);
            if (probability != null && !PROBABILITY.matcher(probability).matches()) {
                throw new InvalidRecordException(at + "probabilityThisYear", "must be a decimal from 0.00 to 1.00");
            }
            thresholds.add(new Forecast.ThresholdForecast(usd(t, "thresholdUsd", at + "thresholdUsd", true),
                    time(t, "expectedAt", at + "expectedAt", false), text(t, "expectedAtLocalTime", false),
                    new Forecast.TimeRange(time(tr, "earliest", at + "range.earliest", false),
                            time(tr, "latest", at + "range.latest", false)),
                    probability == null ? null : new BigDecimal(probability)));
        }
        return new Forecast(year, dimension, member, asOf, total, projected, range, thresholds, text(root, "method", true));
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String prefix) throws InvalidRecordException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new InvalidRecordException(prefix + name, "is not a field of the forecast record");
            }
        }
    }

    private static JsonNode required(JsonNode node, String name, String path) throws InvalidRecordException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new InvalidRecordException(path, "is required");
        }
        return v;
    }

    /** A string field; null where {@code required} is false and the field is null. */
    private static String text(JsonNode node, String name, boolean requiredNonNull) throws InvalidRecordException {
        JsonNode v = required(node, name, name);
        if (v.isNull() && !requiredNonNull) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRecordException(name, "must be a string");
        }
        return v.asText();
    }

    private static BigDecimal usd(JsonNode node, String name, String path, boolean requiredNonNull) throws InvalidRecordException {
        String s = text(node, name, requiredNonNull);
        if (s != null && !USD.matcher(s).matches()) {
            throw new InvalidRecordException(path, "must be a decimal string with two decimals, like \"700000000000.00\"");
        }
        return s == null ? null : new BigDecimal(s);
    }

    private static OffsetDateTime time(JsonNode node, String name, String path, boolean requiredNonNull) throws InvalidRecordException {
        String s = text(node, name, requiredNonNull);
        try {
            return s == null ? null : IsoTime.parse(s);
        } catch (DateTimeException e) {
            throw new InvalidRecordException(path, "must be an ISO-8601 date-time with an offset");
        }
    }

    private static String cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
