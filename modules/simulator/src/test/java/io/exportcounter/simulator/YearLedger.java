package io.exportcounter.simulator;

import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExchangeRate;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.pipeline.classification.CategoryTable;
import io.exportcounter.pipeline.classification.RegionTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * An independent reference for the simulator's output: parses every record with the contract codec,
 * applies revisions the contract's way (highest revision wins, redeliveries and stale copies change
 * nothing), converts with the rates the generator published (the one in force at acceptedAt, at most
 * 7 days old), and keeps the running national total in the order the events are produced.
 */
final class YearLedger {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final CategoryTable CATEGORIES = CategoryTable.defaults();
    private static final RegionTable REGIONS = RegionTable.defaults();
    private static final ContractJson JSON = ContractJson.instance();

    record State(int revision, long cents, ExportDeclaration declaration) {
    }

    record Crossing(SimEvent event, ExportDeclaration declaration, long totalAfter) {
    }

    final Map<String, NavigableMap<Long, BigDecimal>> rates = new HashMap<>();
    final Map<String, State> ledger = new HashMap<>();
    final Map<SimEvent.Kind, Long> kinds = new EnumMap<>(SimEvent.Kind.class);
    final List<String> problems = new ArrayList<>();
    long running;
    long maxRunning;
    Crossing crossing;
    long minAfterCrossing = Long.MAX_VALUE;
    long lastEventSecond = Long.MIN_VALUE;
    long waitedForRate;
    final Map<String, Long> currencies = new HashMap<>();

    /** Replays a year; the supplier is called twice (rates first, as if every rate were known) and must give the same events. */
    static YearLedger replay(Supplier<Iterator<SimEvent>> events, long thresholdCents) {
        YearLedger l = new YearLedger();
        Map<String, Long> publishedAt = new HashMap<>();
        for (Iterator<SimEvent> it = events.get(); it.hasNext(); ) {
            SimEvent e = it.next();
            if (e.kind() == SimEvent.Kind.RATE) {
                try {
                    ExchangeRate r = JSON.parseExchangeRate(e.value());
                    l.rates.computeIfAbsent(r.currency(), c -> new TreeMap<>()).put(r.validFrom().toEpochSecond(), r.krwPerUnit());
                    publishedAt.put(r.currency() + "|" + r.validFrom().toEpochSecond(), e.epochSecond());
                    if (!e.key().equals(r.currency())) {
                        l.problems.add("rate keyed " + e.key() + " for " + r.currency());
                    }
                } catch (InvalidRecordException x) {
                    l.problems.add("rate rejected: " + x.getMessage() + " " + e);
                }
            }
        }
        for (Iterator<SimEvent> it = events.get(); it.hasNext(); ) {
            l.apply(it.next(), thresholdCents, publishedAt);
        }
        return l;
    }

    private void apply(SimEvent e, long threshold, Map<String, Long> publishedAt) {
        kinds.merge(e.kind(), 1L, Long::sum);
        if (e.epochSecond() < lastEventSecond) {
            problems.add("out of order: " + e);
        }
        lastEventSecond = e.epochSecond();
        if (e.kind() == SimEvent.Kind.RATE) {
            return;
        }
        ExportDeclaration d;
        try {
            d = JSON.parseDeclaration(e.value());
        } catch (InvalidRecordException x) {
            if (e.kind() != SimEvent.Kind.MALFORMED) {
                problems.add("valid record rejected: " + x.getMessage() + " " + e);
            }
            return;
        }
        if (e.kind() == SimEvent.Kind.MALFORMED) {
            problems.add("malformed record accepted: " + e);
            return;
        }
        if (!e.key().equals(d.declarationId())) {
            problems.add("key " + e.key() + " is not the declarationId of " + e);
        }
        State old = ledger.get(d.declarationId());
        long delta;
        if (old != null && d.revision() <= old.revision()) {
            delta = 0;
        } else if (d.action() == Action.CANCEL) {
            delta = old == null ? 0 : -old.cents();
            ledger.put(d.declarationId(), new State(d.revision(), 0, null));
        } else {
            long cents = usdCents(d);
            delta = cents - (old == null ? 0 : old.cents());
            ledger.put(d.declarationId(), new State(d.revision(), cents, d));
            if (e.kind() == SimEvent.Kind.ACCEPT) {
                currencies.merge(d.currency(), 1L, Long::sum);
                if (!d.currency().equals("USD")) {
                    long week = rates.get("USD").floorKey(d.acceptedAt().toEpochSecond());
                    String needs = d.currency().equals("KRW") ? "USD" : d.currency();
                    long own = rates.get(needs).floorKey(d.acceptedAt().toEpochSecond());
                    if (publishedAt.get("USD|" + week) > e.epochSecond() || publishedAt.get(needs + "|" + own) > e.epochSecond()) {
                        waitedForRate++;
                    }
                }
            }
        }
        if (delta != e.usdDeltaCents()) {
            problems.add("event says " + e.usdDeltaCents() + " cents, reference " + delta + ": " + e);
        }
        boolean below = running < threshold;
        running += delta;
        maxRunning = Math.max(maxRunning, running);
        if (threshold > 0 && crossing == null && below && running >= threshold) {
            crossing = new Crossing(e, d, running);
        }
        if (crossing != null) {
            minAfterCrossing = Math.min(minAfterCrossing, running);
        }
    }

    /** The pipeline's conversion: half-even to the cent, once, with the rates in force at acceptedAt. */
    long usdCents(ExportDeclaration d) {
        if (d.currency().equals("USD")) {
            return d.fobAmount().setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        }
        long at = d.acceptedAt().toEpochSecond();
        BigDecimal usd = rate("USD", at);
        BigDecimal krw = d.currency().equals("KRW") ? d.fobAmount() : d.fobAmount().multiply(rate(d.currency(), at));
        return krw.divide(usd, 2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
    }

    private BigDecimal rate(String currency, long at) {
        Map.Entry<Long, BigDecimal> e = rates.get(currency).floorEntry(at);
        if (e == null || at - e.getKey() >= 7 * 86_400) {
            throw new AssertionError("no " + currency + " rate in force at " + Instant.ofEpochSecond(at));
        }
        return e.getValue();
    }

    /** Final USD cents of each month (1-12) of the year, by acceptedAt in Korea time. */
    long[] monthCents(int year) {
        long[] m = new long[12];
        for (State s : ledger.values()) {
            if (s.declaration() != null) {
                OffsetDateTime t = s.declaration().acceptedAt().atZoneSameInstant(SEOUL).toOffsetDateTime();
                if (t.getYear() == year) {
                    m[t.getMonthValue() - 1] += s.cents();
                }
            }
        }
        return m;
    }

    long finalCents(Instant from, Instant to) {
        long sum = 0;
        for (State s : ledger.values()) {
            if (s.declaration() != null) {
                Instant t = s.declaration().acceptedAt().toInstant();
                if (!t.isBefore(from) && t.isBefore(to)) {
                    sum += s.cents();
                }
            }
        }
        return sum;
    }

    long finalTotal() {
        return ledger.values().stream().mapToLong(State::cents).sum();
    }

    /** Final value share (0..1) of each member of a dimension. */
    Map<String, Double> shares(String dimension) {
        Map<String, Long> sums = new HashMap<>();
        long total = 0;
        for (State s : ledger.values()) {
            if (s.declaration() == null) {
                continue;
            }
            ExportDeclaration d = s.declaration();
            String member = switch (dimension) {
                case "CATEGORY" -> CATEGORIES.categoryOf(d.hsCode());
                case "DESTINATION" -> d.destination();
                case "REGION" -> REGIONS.regionOf(d.destination());
                case "EXPORTER_SIZE" -> d.exporterSize().name();
                default -> throw new IllegalArgumentException(dimension);
            };
            sums.merge(member, s.cents(), Long::sum);
            total += s.cents();
        }
        Map<String, Double> shares = new TreeMap<>();
        for (Map.Entry<String, Long> e : sums.entrySet()) {
            shares.put(e.getKey(), e.getValue() / (double) total);
        }
        return shares;
    }

    long count(SimEvent.Kind kind) {
        return kinds.getOrDefault(kind, 0L);
    }
}
