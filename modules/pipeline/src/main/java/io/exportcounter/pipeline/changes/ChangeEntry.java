package io.exportcounter.pipeline.changes;

/**
 * The change one declaration event makes to the totals: what it contributed before comes out
 * ({@code removed}), what it contributes now goes in ({@code added}). An ACCEPT has only
 * {@code added}, a CANCEL only {@code removed}, an AMEND of a counted declaration both. Keeping both
 * sides in one entry lets stage 2 apply an amendment as one step, so a total that an amendment lowers
 * from 1,200 to 900 passes through 900 only, never through 0.
 */
public record ChangeEntry(String declarationId, Contribution removed, Contribution added) {

    public ChangeEntry {
        if (removed == null && added == null) {
            throw new IllegalArgumentException("a change entry removes or adds something");
        }
    }

    public static ChangeEntry add(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, null, c);
    }

    public static ChangeEntry remove(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, c, null);
    }

    /** The contribution that describes the event: the new one, or the removed one for a withdrawal. */
    public Contribution latest() {
        return added != null ? added : removed;
    }
}
