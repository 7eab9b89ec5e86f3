package io.exportcounter.simulator;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Writes declaration records as customs systems would send them (CONTRACT.md section 2), plus two fields
 * the contract does not know and the pipeline ignores (customs office, transport mode; and the time of an
 * amendment or withdrawal), and the malformed records of a real feed.
 *
 * <p>Hand-written on one reused StringBuilder: every value is ASCII the simulator chose itself, and this is
 * the hot path of generation.
 */
final class DeclarationJson {
    private final StringBuilder sb = new StringBuilder(384);

    /** One declaration's field values. */
    record Fields(String declarationId, int revision, String action, long acceptedAt, String exporterId,
                  String exporterSize, String hsCode, String destination, String currency, String fobAmount,
                  String customsOffice, String transportMode, long revisedAt) {
    }

    byte[] write(Fields f) {
        sb.setLength(0);
        sb.append("{\"declarationId\":\"").append(f.declarationId())
                .append("\",\"revision\":").append(f.revision())
                .append(",\"action\":\"").append(f.action()).append('"');
        if (!f.action().equals("CANCEL")) {
            sb.append(",\"acceptedAt\":\"");
            appendTime(sb, f.acceptedAt());
            sb.append("\",\"exporterId\":\"").append(f.exporterId())
                    .append("\",\"exporterSize\":\"").append(f.exporterSize())
                    .append("\",\"hsCode\":\"").append(f.hsCode())
                    .append("\",\"destination\":\"").append(f.destination())
                    .append("\",\"currency\":\"").append(f.currency())
                    .append("\",\"fobAmount\":\"").append(f.fobAmount())
                    .append("\",\"customsOffice\":\"").append(f.customsOffice())
                    .append("\",\"transportMode\":\"").append(f.transportMode()).append('"');
        }
        if (f.action().equals("AMEND")) {
            sb.append(",\"amendedAt\":\"");
            appendTime(sb, f.revisedAt());
            sb.append('"');
        } else if (f.action().equals("CANCEL")) {
            sb.append(",\"cancelledAt\":\"");
            appendTime(sb, f.revisedAt());
            sb.append("\",\"reason\":\"WITHDRAWN\"");
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Malformed record kinds: each breaks the contract in a way a real feed does. */
    static final int MALFORMED_KINDS = 17;

    /** A broken copy of a declaration; the pipeline (and ContractJson) must reject every one. */
    byte[] malformed(Fields f, int kind) {
        String valid = new String(write(f), StandardCharsets.US_ASCII);
        String fob = "\"fobAmount\":\"" + f.fobAmount() + "\"";
        String text;
        switch (kind) {
            case 0 -> text = valid.substring(0, valid.length() * 2 / 3); // cut off in transit
            case 1 -> { // a legacy flat-file line on the JSON topic
                StringBuilder t = new StringBuilder("EXPDCL|").append(f.declarationId()).append('|');
                appendTime(t, f.acceptedAt());
                text = t.append('|').append(f.exporterId()).append('|').append(f.hsCode()).append('|')
                        .append(f.destination()).append('|').append(f.currency()).append('|').append(f.fobAmount()).toString();
            }
            case 2 -> text = valid.replace(fob, "\"fobAmount\":\"-" + f.fobAmount() + "\"");
            case 3 -> text = valid.replace(fob, "\"fobAmount\":" + f.fobAmount());
            case 4 -> text = valid.replace("\"hsCode\":\"" + f.hsCode() + "\"",
                    "\"hsCode\":\"" + f.hsCode().substring(0, 4) + "." + f.hsCode().substring(4, 6) + "-" + f.hsCode().substring(6) + "\"");
            case 5 -> text = valid.replace("\"destination\":\"" + f.destination() + "\"",
                    "\"destination\":\"" + f.destination().toLowerCase(java.util.Locale.ROOT) + "\"");
            case 6 -> text = valid.replace("\"currency\":\"" + f.currency() + "\"", "\"currency\":\"US$\"");
            case 7 -> text = valid.replace("+09:00\",\"exporterId\"", "\",\"exporterId\"");
            case 8 -> text = valid.replace("\"exporterId\":\"" + f.exporterId() + "\",", "");
            case 9 -> text = valid.replace("\"action\":\"ACCEPT\"", "\"action\":\"APPROVED\"");
            case 10 -> text = valid.replace("\"revision\":0", "\"revision\":-1");
            case 11 -> text = valid.replace(fob, "\"fobAmount\":\"" + f.fobAmount() + (f.fobAmount().contains(".") ? "" : ".") + "041729\"");
            case 12 -> { // a byte that is not UTF-8, from a legacy code page
                byte[] b = valid.getBytes(StandardCharsets.US_ASCII);
                int at = valid.indexOf("\"exporterId\":\"") + 14;
                b[at] = (byte) 0xC7;
                b[at + 1] = (byte) 0xD1;
                return b;
            }
            case 13 -> {
                return new byte[0];
            }
            case 14 -> text = valid.substring(0, valid.length() - 1) + ",\"fobAmount\":\"1.00\"}";
            case 15 -> text = valid.replace(fob, "\"fobAmount\":\"0.00\"");
            case 16 -> {
                String date = valid.substring(valid.indexOf("\"acceptedAt\":\"") + 14, valid.indexOf("\"acceptedAt\":\"") + 24);
                text = valid.replace("\"acceptedAt\":\"" + date, "\"acceptedAt\":\"" + date.substring(0, 5) + "02-30");
            }
            default -> throw new IllegalArgumentException("no malformed kind " + kind);
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code 2025-12-29T13:03:27+09:00}. */
    void appendTime(StringBuilder sb, long epochSecond) {
        long local = epochSecond + 9 * 3600;
        long day = Math.floorDiv(local, 86_400);
        int second = (int) (local - day * 86_400);
        if (day != cachedDay) {
            cachedDate = LocalDate.ofEpochDay(day).toString();
            cachedDay = day;
        }
        sb.append(cachedDate).append('T');
        two(sb, second / 3600).append(':');
        two(sb, second / 60 % 60).append(':');
        two(sb, second % 60).append("+09:00");
    }

    // Consecutive records mostly share a day (a writer belongs to one generator, one thread).
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** USD (or any two-decimal amount) from cents: {@code 1250000.00}. */
    static String cents(long cents) {
        StringBuilder s = new StringBuilder(20).append(cents / 100).append('.');
        long c = cents % 100;
        if (c < 10) {
            s.append('0');
        }
        return s.append(c).toString();
    }
}
