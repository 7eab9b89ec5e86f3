package io.exportcounter.pipeline.declarations;

import io.exportcounter.pipeline.changes.BinaryReader;
import io.exportcounter.pipeline.changes.BinaryWriter;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.rates.RateBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Declarations a stage-1 task cannot count yet because a rate they need is not known: kept in a changelogged store
 * keyed {@code currency|declarationId}, counted per currency in memory, and handed back when a rate of that currency
 * arrives (and only then). What is kept per declaration is a {@link Chain}: what it counted before (an amendment of a
 * counted declaration keeps counting the old value until it can replace it in one step), then each revision read
 * since, with the place in time it was read at. A revision read while an earlier one waits waits behind it, so that
 * when the rate comes each counts in its own place, as if the rate had been there all along.
 *
 * <p>For a while after it starts waiting ({@code order.wait-for-rates.ms}), a declaration holds its task's position:
 * the task tells stage 2 it has read only up to the declaration's place ({@link #heldAt}), so nothing later is applied
 * before it and, when its rate comes in time, it is counted in its place. That covers the rates feed catching up
 * after a start or a failover (the rates go through their own sub-topology, read in parallel with the declarations)
 * and a rate published moments before the declarations that need it. A rate later than that is published after the
 * declarations it prices; stage 2 then goes on without them, and they are counted where the rate arrives.
 */
final class WaitingForRates {
    /** A stored chain: this format byte, then the chain (see {@link Chain#encode()}). */
    private static final byte FORMAT_CHAIN = 1;

    /** A declaration read at {@code placedAt} that started waiting at {@code sinceMs} (wall clock). */
    private record Hold(Instant placedAt, long sinceMs) {
    }

    /** One revision of a waiting declaration: its JSON, and the place it was read at (null: stored without one). */
    record Link(byte[] declaration, Instant placedAt) {
    }

    /** What a waiting declaration counted before it waited (null: nothing), and the revisions read since, in order. */
    record Chain(Contribution counted, List<Link> links) {
        byte[] encode() {
            BinaryWriter out = new BinaryWriter(128);
            out.writeByte(FORMAT_CHAIN);
            out.writeByte(counted == null ? 0 : 1);
            if (counted != null) {
                ChangeCodec.writeContribution(out, counted);
            }
            out.writeInt(links.size());
            for (Link l : links) {
                out.writeByte(l.placedAt() == null ? 0 : 1);
                if (l.placedAt() != null) {
                    out.writeLong(l.placedAt().getEpochSecond());
                    out.writeInt(l.placedAt().getNano());
                }
                out.writeInt(l.declaration().length);
                out.writeBytes(l.declaration());
            }
            return out.toByteArray();
        }

        static Chain decode(byte[] value) {
            if (value.length == 0 || value[0] != FORMAT_CHAIN) {
                return new Chain(null, List.of(new Link(value, null))); // the JSON alone, as older releases stored it
            }
            BinaryReader in = new BinaryReader(value);
            in.readByte();
            Contribution counted = in.readByte() == 0 ? null : ChangeCodec.decodeContribution(in);
            int n = in.readInt();
            List<Link> links = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Instant placedAt = in.readByte() == 0 ? null : Instant.ofEpochSecond(in.readLong(), in.readInt());
                links.add(new Link(in.readBytes(in.readInt()), placedAt));
            }
            return new Chain(counted, links);
        }

        /** Where it holds its task's position: the first revision's place. */
        Instant placedAt() {
            return links.get(0).placedAt();
        }
    }

    /** A waiting declaration handed back: the currency it waited for, its id and its chain. */
    record Waiting(String currency, String declarationId, Chain chain) {
    }

    private final KeyValueStore<String, byte[]> store;
    private final LongConsumer count;
    /** Declarations waiting, by the currency they wait for. */
    private final Map<String, Long> byCurrency = new HashMap<>();
    /** Rate version of each currency when its waiting declarations were last handed back. */
    private final Map<String, Long> retriedAtVersion = new HashMap<>();
    private long waiting;
    /** Declarations holding the task's position, by key, oldest first. */
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final long holdMs;

    /**
     * @param count   told how many wait, whenever that changes
     * @param hold    how long a waiting declaration holds the task's position
     * @param nowMs   the wall clock now: declarations found waiting after a restart hold again from now
     */
    WaitingForRates(KeyValueStore<String, byte[]> store, LongConsumer count, Duration hold, long nowMs) {
        this.store = store;
        this.count = count;
        this.holdMs = hold.toMillis();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                byCurrency.merge(kv.key.substring(0, kv.key.indexOf('|')), 1L, Long::sum);
                waiting++;
                Instant placedAt = Chain.decode(kv.value).placedAt();
                if (placedAt != null && holdMs > 0) {
                    holds.put(kv.key, new Hold(placedAt, nowMs));
                }
            }
        }
        count.accept(waiting);
    }

    private static String key(String currency, String declarationId) {
        return currency + "|" + declarationId;
    }

    /** {@code chain} waits for a rate of {@code currency} from {@code nowMs}. */
    void start(String currency, String id, Chain chain, long nowMs) {
        String key = key(currency, id);
        store.put(key, chain.encode());
        byCurrency.merge(currency, 1L, Long::sum);
        waiting++;
        count.accept(waiting);
        if (holdMs > 0 && chain.placedAt() != null) {
            holds.put(key, new Hold(chain.placedAt(), nowMs));
        }
    }

    /** A later revision of a declaration waiting for {@code currency}: it waits behind the earlier ones. */
    void append(String currency, String id, Link link) {
        String key = key(currency, id);
        Chain chain = Chain.decode(store.get(key));
        List<Link> links = new ArrayList<>(chain.links());
        links.add(link);
        store.put(key, new Chain(chain.counted(), links).encode());
    }

    void stop(String currency, String id) {
        String key = key(currency, id);
        store.delete(key);
        holds.remove(key);
        byCurrency.merge(currency, -1L, Long::sum);
        waiting--;
        count.accept(waiting);
    }

    /**
     * The earliest place among the declarations still holding the task's position at {@code nowMs} (null: none does);
     * those that have held it long enough stop.
     */
    Instant heldAt(long nowMs) {
        Instant earliest = null;
        for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
            Hold h = it.next();
            if (nowMs - h.sinceMs() >= holdMs) {
                it.remove();
            } else if (earliest == null || h.placedAt().isBefore(earliest)) {
                earliest = h.placedAt();
            }
        }
        return earliest;
    }

    /**
     * Hands {@code retry} each declaration waiting for a currency whose rates changed since the last time;
     * {@code retry} may {@link #start} or {@link #stop} waiting.
     */
    void retryChanged(RateBook rates, Consumer<Waiting> retry) {
        if (waiting == 0) {
            return;
        }
        for (String currency : List.copyOf(byCurrency.keySet())) {
            long version = rates.version(currency);
            Long retried = retriedAtVersion.get(currency);
            if (byCurrency.get(currency) <= 0 || (retried != null && retried == version)) {
                continue;
            }
            retriedAtVersion.put(currency, version);
            List<KeyValue<String, byte[]>> candidates = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(currency + "|", Serdes.String().serializer())) {
                it.forEachRemaining(candidates::add);
            }
            for (KeyValue<String, byte[]> kv : candidates) {
                retry.accept(new Waiting(currency, kv.key.substring(currency.length() + 1), Chain.decode(kv.value)));
            }
        }
    }
}
