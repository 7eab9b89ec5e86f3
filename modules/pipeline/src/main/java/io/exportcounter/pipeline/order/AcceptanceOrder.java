package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.ChangeEntry;
import java.util.ArrayList;
import java.util.List;

/** The order in which stage 2 applies a round's entries: {@link ChangeEntry#ORDER}, whatever order they arrived in. */
public final class AcceptanceOrder {
    private AcceptanceOrder() {
    }

    /**
     * The entries in acceptance order. A declaration's own entries keep their order: stage 1 places each no earlier
     * than the one before, and at the same place the higher revision comes later.
     */
    static List<ChangeEntry> sort(List<ChangeEntry> entries) {
        List<ChangeEntry> ordered = new ArrayList<>(entries);
        ordered.sort(ChangeEntry.ORDER);
        return ordered;
    }
}
