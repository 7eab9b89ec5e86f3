package io.exportcounter.testsupport;

/** Test fixture: builds declaration JSON the way customs systems send it. */
public final class Decl implements Cloneable {
    public String id = "43210-25-0000001X";
    public int revision = 0;
    public String action = "ACCEPT";
    public String acceptedAt = "2025-06-10T10:00:00+09:00";
    public String exporterId = "1208812345";
    public String exporterSize = "SME";
    public String hsCode = "8542321010";
    public String destination = "US";
    public String currency = "USD";
    public String fob = "1000.00";
    /** When an AMEND or CANCEL was made (written as amendedAt or cancelledAt); null: not said. */
    public String correctedAt;

    public static Decl accept(String id) {
        Decl d = new Decl();
        d.id = id;
        return d;
    }

    public Decl rev(int r) {
        revision = r;
        return this;
    }

    public Decl action(String a) {
        action = a;
        return this;
    }

    public Decl at(String t) {
        acceptedAt = t;
        return this;
    }

    public Decl exporter(String id, String size) {
        exporterId = id;
        exporterSize = size;
        return this;
    }

    public Decl hs(String h) {
        hsCode = h;
        return this;
    }

    public Decl to(String d) {
        destination = d;
        return this;
    }

    public Decl amount(String currency, String fob) {
        this.currency = currency;
        this.fob = fob;
        return this;
    }

    public Decl amend(int r) {
        return copy().rev(r).action("AMEND");
    }

    /** This AMEND or CANCEL made at {@code t}. */
    public Decl correctedAt(String t) {
        correctedAt = t;
        return this;
    }

    /** A withdrawal of this declaration at revision {@code r}. */
    public Decl cancel(int r) {
        return copy().rev(r).action("CANCEL");
    }

    /** A copy to change without changing this one: every field is a String or an int, so a shallow clone is a full copy. */
    public Decl copy() {
        try {
            return (Decl) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    public String json() {
        if (action.equals("CANCEL")) {
            return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"CANCEL\""
                    + (correctedAt == null ? "" : ",\"cancelledAt\":\"" + correctedAt + "\"") + "}";
        }
        return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"" + action
                + "\",\"acceptedAt\":\"" + acceptedAt + "\",\"exporterId\":\"" + exporterId + "\""
                + (exporterSize == null ? "" : ",\"exporterSize\":\"" + exporterSize + "\"")
                + ",\"hsCode\":\"" + hsCode + "\",\"destination\":\"" + destination + "\",\"currency\":\""
                + currency + "\",\"fobAmount\":\"" + fob + "\""
                + (correctedAt == null || !action.equals("AMEND") ? "" : ",\"amendedAt\":\"" + correctedAt + "\"") + "}";
    }

    public static String cancel(String id, int revision) {
        return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"CANCEL\"}";
    }

    public static String rate(String currency, String krwPerUnit, String validFrom) {
        return "{\"currency\":\"" + currency + "\",\"krwPerUnit\":\"" + krwPerUnit + "\",\"validFrom\":\"" + validFrom + "\"}";
    }
}
