package io.exportcounter.pipeline.order;

import io.exportcounter.pipeline.changes.ChangeEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The order in which stage 2 applies a round's entries: acceptance order, one declaration's entries together. */
public final class AcceptanceOrder {
    private AcceptanceOrder() {
    }

    /**
     * The entries sorted by acceptance time, stably; all entries of one declaration stay together, in
     * their order, at the place of its first one, so an amendment never overtakes what it amends.
     */
    static List<ChangeEntry> sort(List<ChangeEntry> entries) {
        int n = entries.size();
        Map<String, Integer> firstOf = new HashMap<>(n * 2);
        Ordered[] keyed = new Ordered[n];
        for (int i = 0; i < n; i++) {
            ChangeEntry e = entries.get(i);
            Integer first = firstOf.putIfAbsent(e.declarationId(), i);
            // An entry sorts where its declaration's first entry does, after it.
            Ordered at = first == null ? null : keyed[first];
            Instant t = e.latest().acceptedAt();
            keyed[i] = at == null ? new Ordered(t.getEpochSecond(), t.getNano(), i, i, e)
                    : new Ordered(at.second(), at.nano(), at.group(), i, e);
        }
        Arrays.sort(keyed, ORDER);
        List<ChangeEntry> ordered = new ArrayList<>(n);
        for (Ordered o : keyed) {
            ordered.add(o.entry());
        }
        return ordered;
    }

    /** An entry with its sort key: its declaration's first acceptance time, that entry's place, its own place. */
    private record Ordered(long second, int nano, int group, int index, ChangeEntry entry) {
    }

    private static final Comparator<Ordered> ORDER = (a, b) -> {
        int c = Long.compare(a.second(), b.second());
        if (c == 0) {
            c = Integer.compare(a.nano(), b.nano());
        }
        if (c == 0) {
            c = Integer.compare(a.group(), b.group());
        }
        return c != 0 ? c : Integer.compare(a.index(), b.index());
    };
}
