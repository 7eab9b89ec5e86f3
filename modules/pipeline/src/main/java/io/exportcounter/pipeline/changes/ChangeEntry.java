package io.exportcounter.pipeline.changes;

/**
 * The change one declaration event makes to the totals: what it contributed before comes out
 * ({@code removed}), what it contributes now goes in ({@code added}). An ACCEPT has only
 * {@code added}, a CANCEL only {@code removed}, an AMEND of a counted declaration both. Keeping both
 * sides in one entry lets stage 2 apply an amendment as one step, so a total that an amendment lowers
 * from 1,200 to 900 passes through 900 only, never through 0.
 *
 * @param first the declaration's first change: stage 1 had no ledger entry for it, so no earlier entry of the
 *              same declaration exists for this one to wait behind in stage 2. False when not known.
 */
public record ChangeEntry(String declarationId, Contribution removed, Contribution added, boolean first) {

    public ChangeEntry {
        if (removed == null && added == null) {
            throw new IllegalArgumentException("a change entry removes or adds something");
        }
        if (first && removed != null) {
            throw new IllegalArgumentException("a declaration's first change removes nothing");
        }
    }

    /** A change not known to be its declaration's first. */
    public ChangeEntry(String declarationId, Contribution removed, Contribution added) {
        this(declarationId, removed, added, false);
    }

    public static ChangeEntry add(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, null, c, false);
    }

    public static ChangeEntry first(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, null, c, true);
    }

    public static ChangeEntry remove(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, c, null, false);
    }

    /** The contribution that describes the event: the new one, or the removed one for a withdrawal. */
    public Contribution latest() {
        return added != null ? added : removed;
    }
}
