package io.exportcounter.pipeline;

/** Test fixture: builds declaration JSON the way customs systems send it. */
final class Decl {
    String id = "43210-25-0000001X";
    int revision = 0;
    String action = "ACCEPT";
    String acceptedAt = "2025-06-10T10:00:00+09:00";
    String exporterId = "1208812345";
    String exporterSize = "SME";
    String hsCode = "8542321010";
    String destination = "US";
    String currency = "USD";
    String fob = "1000.00";

    static Decl accept(String id) {
        Decl d = new Decl();
        d.id = id;
        return d;
    }

    Decl rev(int r) {
        revision = r;
        return this;
    }

    Decl action(String a) {
        action = a;
        return this;
    }

    Decl at(String t) {
        acceptedAt = t;
        return this;
    }

    Decl exporter(String id, String size) {
        exporterId = id;
        exporterSize = size;
        return this;
    }

    Decl hs(String h) {
        hsCode = h;
        return this;
    }

    Decl to(String d) {
        destination = d;
        return this;
    }

    Decl amount(String currency, String fob) {
        this.currency = currency;
        this.fob = fob;
        return this;
    }

    Decl amend(int r) {
        return copy().rev(r).action("AMEND");
    }

    Decl copy() {
        Decl d = new Decl();
        d.id = id;
        d.revision = revision;
        d.action = action;
        d.acceptedAt = acceptedAt;
        d.exporterId = exporterId;
        d.exporterSize = exporterSize;
        d.hsCode = hsCode;
        d.destination = destination;
        d.currency = currency;
        d.fob = fob;
        return d;
    }

    String json() {
        if (action.equals("CANCEL")) {
            return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"CANCEL\"}";
        }
        return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"" + action
                + "\",\"acceptedAt\":\"" + acceptedAt + "\",\"exporterId\":\"" + exporterId + "\""
                + (exporterSize == null ? "" : ",\"exporterSize\":\"" + exporterSize + "\"")
                + ",\"hsCode\":\"" + hsCode + "\",\"destination\":\"" + destination + "\",\"currency\":\""
                + currency + "\",\"fobAmount\":\"" + fob + "\"}";
    }

    static String cancel(String id, int revision) {
        return "{\"declarationId\":\"" + id + "\",\"revision\":" + revision + ",\"action\":\"CANCEL\"}";
    }

    static String rate(String currency, String krwPerUnit, String validFrom) {
        return "{\"currency\":\"" + currency + "\",\"krwPerUnit\":\"" + krwPerUnit + "\",\"validFrom\":\"" + validFrom + "\"}";
    }
}
