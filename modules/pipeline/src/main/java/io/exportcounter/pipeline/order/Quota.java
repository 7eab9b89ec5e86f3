package io.exportcounter.pipeline.order;

/** How many entries past stage 2's watermark one stage-1 task may have read: a number, or no limit. */
public record Quota(long entries) {
    public static final Quota UNLIMITED = new Quota(Long.MAX_VALUE);

    public Quota {
        if (entries < 1) {
            throw new IllegalArgumentException("a quota is at least 1 entry, was " + entries);
        }
    }

    public static Quota of(long entries) {
        return new Quota(entries);
    }

    public boolean isUnlimited() {
        return entries == Long.MAX_VALUE;
    }

    /** Whether {@code read} entries past the watermark are more than it allows. */
    public boolean exceededBy(long read) {
        return read > entries;
    }

    /** Whether {@code read} entries past the watermark are fewer than half of it: a held-back task may read again. */
    public boolean wellWithin(long read) {
        return read < entries / 2;
    }

    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : entries + " entries";
    }
}
