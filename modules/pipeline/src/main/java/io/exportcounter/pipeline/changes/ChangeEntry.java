package io.exportcounter.pipeline.changes;

import java.time.Instant;
import java.util.Comparator;

/**
 * The change one declaration event makes to the totals: what it contributed before comes out
 * ({@code removed}), what it contributes now goes in ({@code added}). An ACCEPT has only
 * {@code added}, a CANCEL only {@code removed}, an AMEND of a counted declaration both. Keeping both
 * sides in one entry lets stage 2 apply an amendment as one step, so a total that an amendment lowers
 * from 1,200 to 900 passes through 900 only, never through 0.
 *
 * <p>Stage 2 applies entries in {@link #ORDER}: by {@code orderedAt}, then declarationId, then revision
 * (CONTRACT.md section 5), so the same declarations give the same milestones however they arrive.
 *
 * @param revision  the revision of the event that made the change
 * @param orderedAt the entry's place in time, set by stage 1 (docs/architecture.md, "Acceptance order"): the
 *                  event's own time (acceptance, or the correction's time when the event gives one), but never
 *                  before a time its stage-1 task had already read, nor before the declaration's earlier entries
 */
public record ChangeEntry(String declarationId, int revision, Contribution removed, Contribution added, Instant orderedAt) {

    /** Acceptance order: time, then declarationId, then revision; never where or when an entry arrived. */
    public static final Comparator<ChangeEntry> ORDER = (a, b) -> {
        int c = a.orderedAt.compareTo(b.orderedAt);
        if (c == 0) {
            c = a.declarationId.compareTo(b.declarationId);
        }
        return c != 0 ? c : Integer.compare(a.revision, b.revision);
    };

    public ChangeEntry {
        if (removed == null && added == null) {
            throw new IllegalArgumentException("a change entry removes or adds something");
        }
        if (orderedAt == null) {
            orderedAt = (added != null ? added : removed).acceptedAt();
        }
    }

    /** A change placed at its own acceptance time, revision 0. */
    public ChangeEntry(String declarationId, Contribution removed, Contribution added) {
        this(declarationId, 0, removed, added, null);
    }

    public static ChangeEntry add(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, 0, null, c, null);
    }

    public static ChangeEntry remove(String declarationId, Contribution c) {
        return new ChangeEntry(declarationId, 0, c, null, null);
    }

    /** The contribution that describes the event: the new one, or the removed one for a withdrawal. */
    public Contribution latest() {
        return added != null ? added : removed;
    }
}
