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
import io.exportcounter.pipeline.rates.RateBook;
import io.exportcounter.pipeline.rates.RateVersions;
import io.exportcounter.pipeline.routing.RejectionEmitter;
import io.exportcounter.pipeline.routing.Routed;
import io.exportcounter.pipeline.state.RocksDbTuning;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** What stage 1 needs to know, resolved once from the pipeline config. */
    public record Settings(
            String country,
            String sourceTopic,
            String ratesStore,
            Duration ratesValidity,
            Duration flushInterval,
            CategoryTable categories,
            RegionTable regions) {
    }

    /**
     * @param leads    where the instance's other stage-1 tasks stand, shared by them all (see {@link StageOneLeads})
     * @param caughtUp whether this thread's consumer has read a partition to its end (see InputLag)
     */
    public DeclarationProcessor(Settings settings, RateVersions rateVersions, PipelineStats stats, StageOneLeads leads,
            Predicate<TopicPartition> caughtUp) {
        this.settings = settings;
        this.rateVersions = rateVersions;
        this.stats = stats;
        this.leads = leads;
        this.caughtUp = caughtUp;
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
        if (recovery.from() == 0 && recovery.blocks() > 0) {
            // A new instance, a lost state directory, or a standby taking over: the whole journal was replayed.
            log.info("Task {} rebuilt its declaration ledger from the journal: {} entries in {} blocks", context.taskId(),
                    recovery.entries(), recovery.blocks());
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
        if (lead != null) {
            leads.leave(lead);
        }
        this.lead = leads.join(partition, context.currentSystemTimeMs());
        this.readPast = new ReadPastWatermark();
        this.waiting = new WaitingForRates(context.getStateStore(WAITING_STORE), n -> stats.waiting(taskId, n));
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
        apply(declaration);
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

    private void apply(ExportDeclaration d) {
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
        if (previous != null && previous.status() == Status.WAITING) {
            waiting.stop(previous.waitingOn(), id);
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
                waiting.start(usd.missingRate(), id, json.write(d));
                next = LedgerEntry.waiting(d.revision(), usd.missingRate());
                stats.record(Outcome.WAITING_FOR_RATE);
            }
        }
        ledger.put(id, withChange(id, d.revision(), previous, next, old, now));
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
     * Appends the change from {@code old} to {@code now}, if there is one, and returns {@code next} with the time its
     * changes have reached. The change is placed ({@link ChangeEntry#orderedAt()}) at the latest time this task has
     * read, which is the event's own time unless the event came late, and never before the declaration's earlier
     * changes: so its place depends on the input alone, not on when stage 2 happens to receive it.
     */
    private LedgerEntry withChange(String id, int revision, LedgerEntry previous, LedgerEntry next, Contribution old,
            Contribution now) {
        Instant earlier = previous == null ? null : previous.lastChangeAt();
        if (old == null && now == null) {
            return next.withLastChangeAt(earlier);
        }
        Instant orderedAt = watermark;
        if (earlier != null && (orderedAt == null || earlier.isAfter(orderedAt))) {
            orderedAt = earlier;
        }
        ChangeEntry change = new ChangeEntry(id, revision, old, now, orderedAt);
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
        if (lead.holdBack(readPast.holdBack(leads.pace(now)))) {
            stats.partitionHeldBack();
        }
        waiting.retryChanged(rates, this::retry);
        ChangeCodec.Position position = new ChangeCodec.Position(partition, watermark, idleRule.idle());
        boolean moved = watermark != null && !watermark.equals(sentWatermark);
        boolean sent = pending.flush(position, batch -> forwardBatch(batch, now));
        if (!sent && (moved || !announced)) {
            forwardBatch(ChangeCodec.encodeBatch(position, List.of()), now);
            sent = true;
        }
        if (sent) {
            sentWatermark = watermark;
            announced = true;
        } else if (idleRule.becomesIdle(now, () -> caughtUp.test(new TopicPartition(settings.sourceTopic(), partition)))) {
            forwardBatch(ChangeCodec.encodeBatch(new ChangeCodec.Position(partition, watermark, true), List.of()), now);
            StageOneLeads.report(lead, watermark == null ? Long.MIN_VALUE : watermark.toEpochMilli(), true, now);
        }
    }

    private void forwardBatch(byte[] batch, long now) {
        context.forward(new Record<>(batchKey, Routed.of(Routed.Route.CHANGES, batch), now));
    }

    private void retry(String waitingOn, byte[] stored) {
        ExportDeclaration d;
        try {
            d = json.parseDeclaration(stored);
        } catch (InvalidRecordException e) {
            // Only validated declarations are ever stored here.
            throw new IllegalStateException("waiting store holds an invalid declaration: " + e.getMessage(), e);
        }
        RateBook.Conversion usd = rates.toUsd(d.currency(), d.fobAmount(), d.acceptedAt().toInstant());
        if (!usd.known() && usd.missingRate().equals(waitingOn)) {
            return;
        }
        String id = d.declarationId();
        waiting.stop(waitingOn, id);
        LedgerEntry waitingEntry = ledger.get(id);
        if (usd.known()) {
            Contribution c = contributionOf(d, usd.cents());
            ledger.put(id, withChange(id, d.revision(), waitingEntry, LedgerEntry.counted(d.revision(), c), null, c));
            stats.record(Outcome.RELEASED_FROM_WAITING);
        } else {
            waiting.start(usd.missingRate(), id, stored);
            ledger.put(id, withChange(id, d.revision(), waitingEntry, LedgerEntry.waiting(d.revision(), usd.missingRate()), null,
                    null));
        }
    }

    @Override
    public void close() {
        leads.leave(lead);
        stats.waiting(taskId, 0);
    }
}
