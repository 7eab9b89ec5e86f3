package io.exportcounter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.NetworkNamespace;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario's product on the cluster: its own topics and application id, two (or more) pipeline instances in
 * JVMs of their own with one standby each, the calibrated year fed while they count, and the checks every
 * scenario ends with — the national total of the year and of every month exact to the cent against the
 * simulator, every milestone CROSSED exactly once on a read_committed consumer (a correction may retract one and
 * a later declaration cross it again: CROSSED and RETRACTED alternate), and the $700B milestone naming the
 * planned declaration.
 */
final class CountingRun implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CountingRun.class);
    static final String NATIONAL_2025 = "2025|NATIONAL|KR";
    static final String MILESTONE_700B = NATIONAL_2025 + "|700000000000";
    private static final ContractJson JSON = ContractJson.instance();
    /**
     * Why a milestone can still name another declaration here although totals are exact: the acceptance order holds
     * for what a partition holds when stage 2 decides, not for a declaration appended later than that decision.
     */
    static final String ACCEPTANCE_ORDER_GAP = "The year is fed live, and stage 2 passes an idle stage-1 task only while"
            + " its partition ends where the task said it had read; a declaration appended to that partition after"
            + " stage 2 read its end is placed after what stage 2 applied meanwhile (docs/reliability.md).";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final CalibratedYear year;
    final PipelineConfig config;
    final List<PipelineInstance> instances = new ArrayList<>();
    private final Map<String, Object> client;
    private final String applicationId;

    /** What the year's count gave: every total (JSON without asOf) and every milestone's CROSSED/RETRACTED sequence. */
    record Outcome(Map<String, String> totals, Map<String, Long> cents, Map<String, List<MilestoneType>> milestones,
            List<String> milestoneRecords, Milestone crossing700B) {
    }

    CountingRun(String name, String bootstrap, CalibratedYear year, int instanceCount, Path dir) throws IOException {
        this(name, bootstrap, year, java.util.Collections.nCopies(instanceCount, null), dir);
    }

    /** One instance per element of {@code namespaces}: in that network namespace, or on the host where null. */
    CountingRun(String name, String bootstrap, CalibratedYear year, List<NetworkNamespace> namespaces, Path dir)
            throws IOException {
        int instanceCount = namespaces.size();
        this.name = name;
        this.year = year;
        this.applicationId = "faults-" + name;
        this.client = Map.of("bootstrap.servers", bootstrap);
        Map<String, String> s = settings(bootstrap);
        PipelineConfig c = PipelineConfig.defaults();
        for (Map.Entry<String, String> e : s.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        this.config = c;
        Path logs = Files.createDirectories(ScenarioReport.DIR.resolve(name));
        // The instances' logs of this run only (JvmProcess appends).
        try (var old = Files.list(logs)) {
            for (Path f : old.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.delete(f);
            }
        }
        for (int i = 0; i < instanceCount; i++) {
            String instance = "pipeline-" + (char) ('a' + i);
            Path state = Files.createDirectories(dir.resolve(name).resolve(instance).resolve("state"));
            int port = freePort();
            Properties p = new Properties();
            p.putAll(s);
            p.setProperty("streams.state.dir", state.toString());
            p.setProperty("http.port", Integer.toString(port));
            NetworkNamespace ns = namespaces.get(i);
            p.setProperty("http.advertised-host", ns == null ? "localhost" : ns.namespaceAddress());
            Path file = dir.resolve(name).resolve(instance + ".properties");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "fault scenario " + name + ", " + instance);
            }
            instances.add(new PipelineInstance(instance, port, file, state, logs, ns));
        }
    }

    private Map<String, String> settings(String bootstrap) {
        String prefix = "faults-" + name;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("streams.bootstrap.servers", bootstrap);
        s.put("streams.application.id", applicationId);
        s.put("streams.num.standby.replicas", "1");
        // A member that died or froze is noticed after the session timeout: the broker's minimum, so the
        // scenarios see takeovers in seconds, as an operator who set it low would.
        s.put("streams.session.timeout.ms", "6000");
        s.put("streams.heartbeat.interval.ms", "1500");
        s.put("http.advertised-host", "localhost");
        for (String topic : List.of("declarations", "rates", "totals", "milestones", "forecasts", "rejected",
                "rates-by-week", "stage-one-pace")) {
            s.put("topics." + topic, prefix + "." + topic);
        }
        return s;
    }

    /** Creates the topics (replication 3, min ISR 2 on the cluster) and starts every instance; returns when the group is stable. */
    CountingRun start() {
        PipelineRunner.createMissingTopics(config);
        KafkaTopics.awaitLeaders((String) client.get("bootstrap.servers"),
                List.of(config.declarationsTopic(), config.ratesTopic(), config.totalsTopic(), config.milestonesTopic()));
        instances.forEach(PipelineInstance::start);
        awaitStableGroupOf(instances.size(), Duration.ofMinutes(2));
        return this;
    }

    Feed feed(int chunks, Duration pause) {
        return new Feed(client, year, config.declarationsTopic(), config.ratesTopic(), chunks, pause).start();
    }

    void awaitStableGroupOf(int members, Duration atMost) {
        try (Admin admin = Admin.create(client)) {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(applicationId)).all().get()
                        .get(applicationId);
                return g.groupState() == GroupState.STABLE && g.members().size() == members;
            });
        }
    }

    int groupMembers() {
        try (Admin admin = Admin.create(client)) {
            return admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId).members().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe the group " + applicationId, e);
        }
    }

    /** The transactional ids the instances' producers have open or had recently (EOS v2: one per stream thread). */
    List<String> transactionalIds() {
        try (Admin admin = Admin.create(client)) {
            return admin.listTransactions().all().get().stream().map(t -> t.transactionalId())
                    .filter(id -> id.startsWith(applicationId + "-")).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the transactions of " + applicationId, e);
        }
    }

    /**
     * The instance running stage 2 (it holds every total): the one the API names as serving the national total,
     * asked of any live instance until one answers 200 and not stale.
     */
    PipelineInstance stageTwoHolder(Duration atMost) {
        PipelineInstance[] holder = new PipelineInstance[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (PipelineInstance asked : instances) {
                Optional<String> servedBy = servedBy(asked);
                if (servedBy.isPresent()) {
                    holder[0] = instances.stream().filter(i -> i.advertised().equals(servedBy.get())).findFirst()
                            .orElseThrow(() -> new AssertionError("served by an unknown instance " + servedBy.get()));
                    return true;
                }
            }
            return false;
        });
        return holder[0];
    }

    private static Optional<String> servedBy(PipelineInstance asked) {
        if (!asked.isAlive()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + asked.host + ":" + asked.httpPort + "/api/v1/totals/2025")).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            boolean stale = r.headers().firstValue("X-Export-Counter-Stale").map(Boolean::parseBoolean).orElse(false);
            return r.statusCode() == 200 && !stale ? r.headers().firstValue("X-Export-Counter-Served-By") : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A reader of the totals topic (read_committed) for the scenario to watch progress with. */
    Progress progress() {
        return new Progress(new KafkaTopics.Follower(client, config.totalsTopic()));
    }

    /** The committed national 2025 total as the totals topic has it, and when it last moved. */
    static final class Progress implements AutoCloseable {
        private final KafkaTopics.Follower totals;
        private long nationalCents = -1;
        private long lastMoveNanos = System.nanoTime();

        private Progress(KafkaTopics.Follower totals) {
            this.totals = totals;
        }

        /** Follows {@code totalsTopic} from its beginning (read_committed). */
        static Progress of(String bootstrap, String totalsTopic) {
            return new Progress(new KafkaTopics.Follower(bootstrap, totalsTopic));
        }

        /** Reads what was committed since the last call; returns the national total in cents (-1 before any). */
        long poll() {
            totals.poll().forEach(this::take);
            return nationalCents;
        }

        /**
         * As {@link #poll()} for at most {@code timeout}: whether it read up to the end of what is committed (false
         * while the cluster cannot say, e.g. with two brokers of three down); what it read is taken either way.
         */
        boolean tryPoll(Duration timeout) {
            return totals.poll(timeout, this::take);
        }

        private void take(ConsumerRecord<String, byte[]> r) {
            lastMoveNanos = System.nanoTime();
            if (r.key().equals(NATIONAL_2025)) {
                try {
                    nationalCents = Money.toCents(JSON.parseTotal(r.value()).totalUsd());
                } catch (InvalidRecordException e) {
                    throw new AssertionError("an invalid total on the totals topic: " + e.getMessage(), e);
                }
            }
        }

        long nationalCents() {
            return nationalCents;
        }

        /** Nanoseconds since a committed total last moved. */
        long quietNanos() {
            return System.nanoTime() - lastMoveNanos;
        }

        @Override
        public void close() {
            totals.close();
        }
    }

    /**
     * Until the national total is the year's and no total has moved for two seconds; {@code healthy} is checked on
     * every poll (e.g. that the instances meant to run are alive) and fails the wait at once when false.
     */
    void awaitCounted(Feed feed, Duration atMost, BooleanSupplier healthy) {
        try (Progress progress = progress()) {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                feed.assertNoFailure();
                if (!healthy.getAsBoolean()) {
                    throw new AssertionError("a pipeline instance of " + name + " stopped; see " + ScenarioReport.DIR.resolve(name));
                }
                long cents = progress.poll();
                return feed.done() && cents == year.annualCents && progress.quietNanos() > 2_000_000_000L;
            });
        }
    }

    /** Every live instance is alive (none that the scenario did not stop has died). */
    boolean allAlive() {
        return instances.stream().allMatch(PipelineInstance::isAlive);
    }

    Outcome outcome() throws InvalidRecordException {
        Map<String, String> totals = new TreeMap<>();
        Map<String, Long> cents = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(client, config.totalsTopic())) {
            Total t = JSON.parseTotal(r.value());
            cents.put(r.key(), Money.toCents(t.totalUsd()));
            totals.put(r.key(), new String(JSON.write(t), StandardCharsets.UTF_8).replaceAll(",?\"asOf\":\"[^\"]*\"", ""));
        }
        Map<String, List<MilestoneType>> milestones = new TreeMap<>();
        List<String> records = new ArrayList<>();
        Milestone crossing = null;
        for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(client, config.milestonesTopic())) {
            Milestone m = JSON.parseMilestone(r.value());
            records.add(new String(JSON.write(m), StandardCharsets.UTF_8).replaceAll(",?\"detectedAt\":\"[^\"]*\"", ""));
            milestones.computeIfAbsent(m.milestoneId(), k -> new ArrayList<>()).add(m.type());
            if (m.milestoneId().equals(MILESTONE_700B) && m.type() == MilestoneType.CROSSED) {
                crossing = m;
            }
        }
        records.sort(null);
        return new Outcome(totals, cents, milestones, records, crossing);
    }

    /** The first outcome of this JVM's run, which every later scenario's must equal (same year, same configuration). */
    private static Outcome first;

    /**
     * The checks every scenario ends with, and the comparison of every total and milestone with the first scenario's
     * of the run; each check that holds goes into the report.
     */
    Outcome assertExactOnceAndAsFirst(ScenarioReport report) throws InvalidRecordException {
        Outcome outcome = assertExactAndOnce(report);
        report.figure("totals on the topic", String.format("%,d", outcome.totals().size()));
        report.figure("milestones", Integer.toString(outcome.milestones().size()));
        synchronized (CountingRun.class) {
            if (first == null) {
                first = outcome;
                return outcome;
            }
        }
        assertThat(outcome.totals()).as("every total, against the first scenario's").isEqualTo(first.totals());
        assertThat(standing(outcome)).as("the milestones standing (last CROSSED) at the end, against the first scenario's")
                .isEqualTo(standing(first));
        report.met("All " + outcome.totals().size() + " totals (every dimension, year and months) are identical, field"
                + " for field but asOf, to those of the first scenario of the run, and so are the milestones standing at"
                + " the end.");
        List<String> differing = outcome.milestoneRecords().stream().filter(m -> !first.milestoneRecords().contains(m))
                .map(m -> m.replaceAll(".*\"milestoneId\":\"([^\"]*)\".*\"declarationId\":\"([^\"]*)\".*", "$1 by $2"))
                .toList();
        if (differing.isEmpty()) {
            report.met("Every milestone is identical, field for field but detectedAt, to the first scenario's: the same"
                    + " declaration crossed each threshold at the same time.");
        } else {
            report.notMet(differing.size() + " of " + outcome.milestoneRecords().size() + " milestones name another"
                    + " crossing (declaration, time or total) than in the first scenario: " + differing + ". "
                    + ACCEPTANCE_ORDER_GAP);
        }
        return outcome;
    }

    /** The milestones whose last event is CROSSED: what the final totals decide, whatever the order. */
    private static List<String> standing(Outcome o) {
        return o.milestones().entrySet().stream()
                .filter(e -> e.getValue().get(e.getValue().size() - 1) == MilestoneType.CROSSED).map(Map.Entry::getKey)
                .toList();
    }

    /** The checks every scenario ends with; each that holds goes into the report. */
    Outcome assertExactAndOnce(ScenarioReport report) throws InvalidRecordException {
        Outcome o = outcome();
        assertThat(cents(o, NATIONAL_2025)).as("national 2025 total, cents").isEqualTo(year.annualCents);
        for (int m = 0; m < 12; m++) {
            String key = String.format("2025-%02d|NATIONAL|KR", m + 1);
            assertThat(cents(o, key)).as("national total of %s, cents", key).isEqualTo(year.monthCents[m]);
        }
        report.met("The national total of 2025 is the simulator's to the cent (" + Money.format(year.annualCents)
                + "), and so is each of the twelve months'.");
        o.milestones().forEach((id, types) -> {
            for (int i = 0; i < types.size(); i++) {
                assertThat(types.get(i)).as("event %d of %s: %s (a duplicate shows as two in a row)", i, id, types)
                        .isEqualTo(i % 2 == 0 ? MilestoneType.CROSSED : MilestoneType.RETRACTED);
            }
        });
        long retracted = o.milestones().values().stream().filter(t -> t.size() > 1).count();
        report.met(o.milestones().size() + " milestones on a read_committed consumer, each CROSSED exactly once"
                + (retracted == 0 ? " and never retracted." : " (" + retracted + " of them RETRACTED by a correction"
                + " and CROSSED again in turn; never two CROSSED in a row)."));
        assertThat(o.crossing700B()).as("the $700B milestone").isNotNull();
        assertThat(o.milestones().get(MILESTONE_700B)).as("$700B").containsExactly(MilestoneType.CROSSED);
        assertThat(o.crossing700B().declarationId()).as("the declaration that takes the total past $700B")
                .isEqualTo(year.crossingDeclarationId);
        report.met("The $700B milestone is there once and names the planned declaration " + year.crossingDeclarationId
                + ", crossed at " + o.crossing700B().crossedAtLocalTime() + " on " + o.crossing700B().crossedAt().toLocalDate() + ".");
        log.info("{}: {} totals, {} milestones, exact and once", name, o.totals().size(), o.milestones().size());
        return o;
    }

    private static long cents(Outcome o, String key) {
        assertThat(o.cents()).as("totals on the topic").containsKey(key);
        return o.cents().get(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (PipelineInstance i : instances) {
            try {
                i.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
