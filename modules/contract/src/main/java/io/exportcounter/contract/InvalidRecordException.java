package io.exportcounter.contract;

/**
 * A record that breaks the contract. Carries the offending field (null for the record as a whole)
 * and a reason fit for the rejected topic. Expected in normal operation, so it has no stack trace.
 */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidRecordException(String field, String reason) {
        super(field == null ? reason : field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    /** The JSON field that is wrong, or null when the record as a whole is unusable. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
