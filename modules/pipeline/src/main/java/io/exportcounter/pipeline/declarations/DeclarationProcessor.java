package io.exportcounter.pipeline.declarations;

import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExchangeRate;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.pipeline.changes.ChangeCodec;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.changes.Contribution;
import io.exportcounter.pipeline.classification.CategoryTable;
import io.exportcounter.pipeline.classification.RegionTable;
import io.exportcounter.pipeline.declarations.LedgerEntry.Status;
import io.exportcounter.pipeline.kafkainternals.CommitHookStore;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.metrics.PipelineStats.Outcome;
import io.exportcounter.pipeline.order.IdleRule;
import io.exportcounter.pipeline.order.ReadPastWatermark;
import io.exportcounter.pipeline.order.StageOneLeads;
import io.exportcounter.pipeline.order.StageOnePace;
import io.exportcounter.pipeline.rates.RateBook;
import io.exportcounter.pipeline.rates.RateVersions;
import io.exportcounter.pipeline.routing.RejectionEmitter;
import io.exportcounter.pipeline.routing.Routed;
import io.exportcounter.pipeline.state.RocksDbTuning;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1, one instance per input partition: validates each declaration event, applies it to the
 * declaration's ledger entry and records the change it makes to the totals (old contribution out, new
 * one in). Changes accumulate in {@link PendingChanges} and go to stage 2 as one batch per flush
 * interval, instead of one record per declaration and dimension.
 *
 * <p>Rules (CONTRACT.md section 2): the highest revision applied is the declaration's state; an event at
 * or below it changes nothing. ACCEPT and AMEND set the whole state (an AMEND for a declaration never
 * seen is counted as it stands); CANCEL removes what it counted. A declaration whose rate is not known
 * waits in a changelogged store, keyed by the currency it waits for, and is counted when that
 * currency's rate arrives.
 */
public final class DeclarationProcessor implements Processor<byte[], DeclarationInput, byte[], Routed> {
    private static final Logger log = LoggerFactory.getLogger(DeclarationProcessor.class);

    /** Each declaration's ledger entry; local only, rebuilt from the journal (see {@link Ledger}). */
    public static final String LEDGER_STORE = "declaration-ledger";
    /** A journal: {@link RocksDbTuning} compresses it. */
    public static final String LEDGER_JOURNAL_STORE = "declaration-ledger" + RocksDbTuning.JOURNAL_SUFFIX;
    public static final String WAITING_STORE = "declarations-waiting-for-rate";
    public static final String PENDING_STORE = "pending-changes";

    private final ContractJson json = ContractJson.instance();
    private final Settings settings;
    private final RateVersions rateVersions;
    private final PipelineStats stats;
    private final Predicate<TopicPartition> caughtUp;
    private final Function<TopicPartition, OptionalLong> readTo;
    private final StageOneLeads leads;
    private StageOneLeads.Slot lead;
    private ReadPastWatermark readPast;

    private ProcessorContext<byte[], Routed> context;
    private Ledger ledger;
    private WaitingForRates waiting;
    private PendingChanges pending;
    private RateBook rates;
    private RejectionEmitter rejections;
    private String taskId;
    private byte[] batchKey;
    private int partition;
    /** The latest event time read (null before the first declaration), and the last one sent to stage 2. */
    private Instant watermark;
    private Instant sentWatermark;
    /** When to tell stage 2 this task is idle. */
    private IdleRule idleRule;
    /** Whether stage 2 has heard from this task since it started. */
    private boolean announced;
    /** This task's input partition, as its consumer knows it. */
    private TopicPartition inputPartition;
    /** While idle: how far its consumer had read its partition when it last said so (-1: not known). */
    private long claimedReadTo = ChangeCodec.Position.UNKNOWN_OFFSET;

    /** What stage 1 needs to know, resolved once from the pipeline config. */
    public record Settings(
            String country,
            String sourceTopic,
            String ratesStore,
            Duration ratesValidity,
            Duration flushInterval,
            Duration waitForRates,
            CategoryTable categories,
            RegionTable regions) {
    }

    /**
     * @param leads    where the instance's other stage-1 tasks stand, shared by them all (see {@link StageOneLeads})
     * @param caughtUp whether this thread's consumer has read a partition to its end (see InputLag)
     */
    public DeclarationProcessor(Settings settings, RateVersions rateVersions, PipelineStats stats, StageOneLeads leads,
            Predicate<TopicPartition> caughtUp) {
        this(settings, rateVersions, stats, leads, caughtUp, partition -> OptionalLong.empty());
    }

    /**
     * @param readTo how far this thread's consumer has read a partition, its position (see InputLag): an idle claim
     *               says so, and stage 2 checks it against the partition's end
     */
    public DeclarationProcessor(Settings settings, RateVersions rateVersions, PipelineStats stats, StageOneLeads leads,
            Predicate<TopicPartition> caughtUp, Function<TopicPartition, OptionalLong> readTo) {
        this.settings = settings;
        this.rateVersions = rateVersions;
        this.stats = stats;
        this.leads = leads;
        this.caughtUp = caughtUp;
        this.readTo = readTo;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        // The ledger's journal and the pending changes are kept in memory and stored just before each commit.
        CommitHookStore journal = context.getStateStore(LEDGER_JOURNAL_STORE);
        CommitHookStore pendingStore = context.getStateStore(PENDING_STORE);
        this.ledger = new Ledger(context.getStateStore(LEDGER_STORE), journal.data());
        this.pending = new PendingChanges(pendingStore.data());
        journal.beforeCommit(ledger::writeBlock);
        pendingStore.beforeCommit(pending::storeChunks);
        Ledger.Recovery recovery = ledger.recover();
        stats.ledgerReplayed(recovery.entries());
        if (recovery.from() == 0 && recovery.blocks() > 0) {
            // A new instance, a lost state directory, or a standby that has not kept up: the whole journal was replayed.
            log.info("Task {} rebuilt its declaration ledger from the journal: {} entries in {} blocks in {} s", context.taskId(),
                    recovery.entries(), recovery.blocks(), String.format(Locale.ROOT, "%.1f", recovery.took().toMillis() / 1000.0));
        }
        this.pending.recover();
        // Where the task had read to at the last commit: a late event read next is placed as it would have been
        // without the restart.
        this.watermark = pending.readUpTo();
        this.rates = new RateBook(context.<KeyValueStore<String, ExchangeRate>>getStateStore(settings.ratesStore()), rateVersions,
                settings.ratesValidity());
        this.rejections = new RejectionEmitter(context, settings.sourceTopic(), stats);
        this.taskId = context.taskId().toString();
        this.batchKey = settings.country().getBytes(StandardCharsets.UTF_8);
        this.partition = context.taskId().partition();
        this.sentWatermark = null;
        this.idleRule = new IdleRule(settings.flushInterval());
        this.idleRule.start(context.currentSystemTimeMs());
        this.announced = false;
        this.inputPartition = new TopicPartition(settings.sourceTopic(), partition);
        this.claimedReadTo = ChangeCodec.Position.UNKNOWN_OFFSET;
        if (lead != null) {
            leads.leave(lead);
        }
        this.lead = leads.join(partition, context.currentSystemTimeMs());
        this.readPast = new ReadPastWatermark();
        this.waiting = new WaitingForRates(context.getStateStore(WAITING_STORE), n -> stats.waiting(taskId, n),
                settings.waitForRates(), context.currentSystemTimeMs());
        context.schedule(settings.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<byte[], DeclarationInput> record) {
        long now = context.currentSystemTimeMs();
        idleRule.read(now);
        leads.pauseWhileAhead(lead, now);
        DeclarationInput input = record.value();
        ExportDeclaration declaration = input.declaration();
        try {
            if (input.error() != null) {
                throw input.error();
            }
            requireKeyMatches(record.key(), declaration.declarationId());
        } catch (InvalidRecordException e) {
            rejections.reject(record.withValue(input.raw()), e);
            return;
        }
        apply(declaration, now);
        readPast.read();
        if (watermark != null) {
            StageOneLeads.report(lead, watermark.toEpochMilli(), false, now);
        }
    }

    /**
     * The record key decides the partition and so the task that owns a declaration's state; a key other
     * than the declarationId would let two tasks count the same declaration.
     */
    private static void requireKeyMatches(byte[] key, String declarationId) throws InvalidRecordException {
        if (key == null) {
            throw new InvalidRecordException("declarationId", "the record key must be the declarationId, but the record has no key");
        }
        String k = new String(key, StandardCharsets.UTF_8);
        if (!k.equals(declarationId)) {
            throw new InvalidRecordException("declarationId",
                    "the record key must be the declarationId ('" + declarationId + "'), was '" + k + "'");
        }
    }

    private void apply(ExportDeclaration d, long nowMs) {
        Instant at = eventTime(d);
        if (at != null && (watermark == null || at.isAfter(watermark))) {
            watermark = at;
            pending.readUpTo(watermark);
        }
        String id = d.declarationId();
        LedgerEntry previous = ledger.get(id);
        if (previous != null && d.revision() <= previous.revision()) {
            stats.record(d.revision() == previous.revision() ? Outcome.DUPLICATE : Outcome.STALE);
            return;
        }
        Instant placedAt = placedAt(previous, watermark);
        if (previous != null && previous.status() == Status.WAITING) {
            // An earlier revision still waits for its rate: this one waits behind it (see WaitingForRates).
            waiting.append(previous.waitingOn(), id, new WaitingForRates.Link(json.write(d), placedAt));
            ledger.put(id, LedgerEntry.waiting(d.revision(), previous.waitingOn()).withLastChangeAt(previous.lastChangeAt()));
            stats.record(Outcome.WAITING_FOR_RATE);
            return;
        }
        Contribution old = previous == null ? null : previous.contribution();
        Contribution now = null;
        LedgerEntry next;
        if (d.action() == Action.CANCEL) {
            next = LedgerEntry.cancelled(d.revision());
            stats.record(Outcome.CANCELLED);
        } else {
            RateBook.Conversion usd = rates.toUsd(d.currency(), d.fobAmount(), d.acceptedAt().toInstant());
            if (usd.known()) {
                now = contributionOf(d, usd.cents());
                next = LedgerEntry.counted(d.revision(), now);
                stats.record(Outcome.COUNTED);
            } else {
                // What it counted so far stays counted until the new value can replace it in one step.
                waiting.start(usd.missingRate(), id,
                        new WaitingForRates.Chain(old, List.of(new WaitingForRates.Link(json.write(d), placedAt))), nowMs);
                ledger.put(id, LedgerEntry.waiting(d.revision(), usd.missingRate())
                        .withLastChangeAt(previous == null ? null : previous.lastChangeAt()));
                stats.record(Outcome.WAITING_FOR_RATE);
                return;
            }
        }
        ledger.put(id, withChange(id, d.revision(), previous, next, old, now, placedAt));
    }

    /**
     * Where a change of the declaration whose ledger entry is {@code previous} goes in time (ChangeEntry#orderedAt):
     * at {@code at}, the latest time this task has read (the event's own time unless the event came late), but never
     * before the declaration's earlier changes. So its place depends on the input alone, not on when stage 2 receives it.
     */
    private static Instant placedAt(LedgerEntry previous, Instant at) {
        return later(previous == null ? null : previous.lastChangeAt(), at);
    }

    /** The later of two instants, either of which may be absent (null). */
    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    /**
     * When the event happened: a correction's own time when it gives one, else the acceptance time (none for a
     * CANCEL that does not say when it was made).
     */
    private static Instant eventTime(ExportDeclaration d) {
        if (d.correctedAt() != null) {
            return d.correctedAt().toInstant();
        }
        return d.acceptedAt() == null ? null : d.acceptedAt().toInstant();
    }

    /**
     * Appends the change from {@code old} to {@code now}, if there is one, placed at {@code placedAt}, and returns
     * {@code next} with the time its changes have reached.
     */
    private LedgerEntry withChange(String id, int revision, LedgerEntry previous, LedgerEntry next, Contribution old,
            Contribution now, Instant placedAt) {
        if (old == null && now == null) {
            return next.withLastChangeAt(previous == null ? null : previous.lastChangeAt());
        }
        ChangeEntry change = new ChangeEntry(id, revision, old, now, placedAt);
        pending.append(change);
        return next.withLastChangeAt(change.orderedAt());
    }

    private Contribution contributionOf(ExportDeclaration d, long cents) {
        return new Contribution(cents, d.acceptedAt().toInstant(), d.exporterId(), d.exporterSize(),
                settings.categories().categoryOf(d.hsCode()), d.destination(),
                settings.regions().regionOf(d.destination()));
    }

    /**
     * Hands the pending changes to stage 2 with this task's position (see {@link ChangeCodec.Position}).
     * With nothing pending, a batch of no entries still goes when the watermark moved (stage 2 may be
     * waiting for it), when the task has just become idle, and once when it starts, so that stage 2
     * waits for a task it has not heard of yet.
     */
    private void flush(long now) {
        idleRule.flushed();
        if (watermark != null) {
            readPast.note(watermark.toEpochMilli());
        }
        boolean wasHolding = lead.holdsBack();
        StageOnePace pace = leads.pace(now);
        if (lead.holdBack(readPast.holdBack(pace))) {
            stats.partitionHeldBack();
            log.debug("Task {} holds its partition back: it has read its quota past stage 2's watermark ({})", taskId, pace);
        } else if (wasHolding && !lead.holdsBack()) {
            log.debug("Task {} reads its partition again", taskId);
        }
        waiting.retryChanged(rates, this::retry);
        // A declaration waiting for its rate holds the position stage 2 hears of (see WaitingForRates), and the task
        // is not idle while one does.
        Instant held = waiting.heldAt(now);
        Instant reported = held != null && (watermark == null || held.isBefore(watermark)) ? held : watermark;
        ChangeCodec.Position position = new ChangeCodec.Position(partition, reported, held == null && idleRule.idle(),
                claimedReadTo);
        boolean moved = reported != null && !reported.equals(sentWatermark);
        boolean sent = pending.flush(position, batch -> forwardBatch(batch, now));
        if (!sent && (moved || !announced)) {
            forwardBatch(ChangeCodec.encodeBatch(position, List.of()), now);
            sent = true;
        }
        if (sent) {
            sentWatermark = reported;
            pending.reportedUpTo(reported);
            announced = true;
        } else if (held == null && idleRule.becomesIdle(now, this::caughtUpClaiming)) {
            log.debug("Task {} says it is idle, its partition read to offset {}, at {}", taskId, claimedReadTo, watermark);
            forwardBatch(ChangeCodec.encodeBatch(new ChangeCodec.Position(partition, watermark, true, claimedReadTo), List.of()), now);
            StageOneLeads.report(lead, watermark == null ? Long.MIN_VALUE : watermark.toEpochMilli(), true, now);
        } else if (held == null && idleRule.idle() && readPastClaim()) {
            forwardBatch(ChangeCodec.encodeBatch(new ChangeCodec.Position(partition, watermark, true, claimedReadTo), List.of()), now);
        }
    }

    /** Whether the consumer has read the partition to its end; if so, notes how far that is, for the idle claim. */
    private boolean caughtUpClaiming() {
        if (!caughtUp.test(inputPartition)) {
            return false;
        }
        claimedReadTo = readTo.apply(inputPartition).orElse(ChangeCodec.Position.UNKNOWN_OFFSET);
        return true;
    }

    /**
     * Whether the consumer of an idle task has read past its claim, to the end again, without handing it a record
     * (an aborted transaction, transaction markers); if so, notes the new claim. Stage 2 would otherwise wait for the
     * task, the partition's end being past its claim, until it reads a declaration.
     */
    private boolean readPastClaim() {
        if (claimedReadTo == ChangeCodec.Position.UNKNOWN_OFFSET) {
            return false;
        }
        OptionalLong now = readTo.apply(inputPartition);
        if (now.isEmpty() || now.getAsLong() <= claimedReadTo || !caughtUp.test(inputPartition)) {
            return false;
        }
        claimedReadTo = now.getAsLong();
        return true;
    }

    private void forwardBatch(byte[] batch, long now) {
        context.forward(new Record<>(batchKey, Routed.of(Routed.Route.CHANGES, batch), now));
    }

    /**
     * Counts what waited for a rate, revision by revision, each in its own place: where it was read, unless stage 2
     * has been told of a later position since (its rate came after it stopped holding the task's position), then
     * there. Stops at a revision whose rate is still missing: the rest waits for that one.
     */
    private void retry(WaitingForRates.Waiting w) {
        String id = w.declarationId();
        LedgerEntry entry = ledger.get(id);
        Contribution old = w.chain().counted();
        Instant reported = pending.reportedUpTo();
        Instant last = entry.lastChangeAt();
        List<WaitingForRates.Link> links = w.chain().links();
        for (int i = 0; i < links.size(); i++) {
            WaitingForRates.Link link = links.get(i);
            ExportDeclaration d = parseStored(link.declaration());
            Contribution now = null;
            if (d.action() != Action.CANCEL) {
                RateBook.Conversion usd = rates.toUsd(d.currency(), d.fobAmount(), d.acceptedAt().toInstant());
                if (!usd.known()) {
                    if (i == 0 && usd.missingRate().equals(w.currency())) {
                        return;
                    }
                    waiting.stop(w.currency(), id);
                    waiting.start(usd.missingRate(), id, new WaitingForRates.Chain(old, links.subList(i, links.size())),
                            context.currentSystemTimeMs());
                    ledger.put(id, LedgerEntry.waiting(entry.revision(), usd.missingRate()).withLastChangeAt(last));
                    return;
                }
                now = contributionOf(d, usd.cents());
            }
            if (old != null || now != null) {
                Instant at = link.placedAt() == null ? reported : later(link.placedAt(), reported);
                ChangeEntry change = new ChangeEntry(id, d.revision(), old, now, later(last, at));
                pending.append(change);
                last = change.orderedAt();
            }
            old = now;
        }
        waiting.stop(w.currency(), id);
        ledger.put(id, (old == null ? LedgerEntry.cancelled(entry.revision()) : LedgerEntry.counted(entry.revision(), old))
                .withLastChangeAt(last));
        stats.record(Outcome.RELEASED_FROM_WAITING);
    }

    private ExportDeclaration parseStored(byte[] stored) {
        try {
            return json.parseDeclaration(stored);
        } catch (InvalidRecordException e) {
            // Only validated declarations are ever stored here.
            throw new IllegalStateException("waiting store holds an invalid declaration: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        leads.leave(lead);
        stats.waiting(taskId, 0);
    }
}
