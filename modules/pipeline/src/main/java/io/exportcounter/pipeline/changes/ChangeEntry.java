package io.exportcounter.pipeline.changes;

import java.time.Instant;

/**
 * The change one declaration event makes to the totals: what it contributed before comes out
 * ({@code removed}), what it contributes now goes in ({@code added}). An ACCEPT has only
 * {@code added}, a CANCEL only {@code removed}, an AMEND of a counted declaration both. Keeping both
 * sides in one entry lets stage 2 apply an amendment as one step, so a total that an amendment lowers
 * from 1,200 to 900 passes through 900 only, never through 0.
 *
 * @param heldUntil the latest acceptance time among the earlier change entries of the same declaration (null:
 *                  it has none). Stage 2 applies an entry only once every stage-1 task has read past both its own
 *                  time and this one, so the earlier entries go in the same round or before, and an amendment
 *                  never overtakes what it amends.
 */
public record ChangeEntry(String declarationId, Contribution removed, Contribution added, Instant heldUntil) {

    public ChangeEntry {
        if (removed == null && added == null) {
            throw new IllegalArgumentException("a change entry removes or adds something");
        }
    }

    /** A declaration's first change: nothing earlier to wait for. */
    public ChangeEntry(String declarationId, Contribution removed, Contribution added) {
        this(declarationId, removed, added, null);
    }

    public static ChangeEntry add(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, null, c, null);
    }

    public static ChangeEntry remove(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, c, null, null);
    }

    /** The contribution that describes the event: the new one, or the removed one for a withdrawal. */
    public Contribution latest() {
        return added != null ? added : removed;
    }

    /** The acceptance time stage 2 waits for before applying it: its own, or a later one of an earlier entry. */
    public Instant due() {
        Instant at = latest().acceptedAt();
        return heldUntil != null && heldUntil.isAfter(at) ? heldUntil : at;
    }
}
