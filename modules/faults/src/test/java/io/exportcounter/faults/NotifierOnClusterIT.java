package io.exportcounter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.notifier.NotifierMain;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.simulator.Calibration;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import io.exportcounter.testsupport.ContractSchemas;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6: the notifier killed between a delivery and its record, on a three-broker cluster. The milestones are the
 * real pipeline's, counting a small calibrated 2025 on the cluster; the notifier runs in a JVM of its own with e-mail
 * (GreenMail), webhook (a local receiver that records every call's Idempotency-Key) and outbox. It halts (the notifier's
 * test hook: Runtime.halt, so no shutdown hook, no flush, no commit, as after SIGKILL) right after a delivery and
 * before its record, on the webhook, then the e-mail, then the outbox, and is started again each time.
 *
 * <p>What the notifier promises for that window (README, "Once per channel") is checked exactly: the webhook call is
 * repeated with the same Idempotency-Key (one call per key), the outbox line is found and not written again, and the
 * e-mail goes out a second time with the same Message-ID (SMTP has no idempotency key), so one e-mail per notice by
 * Message-ID and exactly one repeat in the mailbox. A milestone in an aborted transaction, placed before the pipeline's
 * on the milestones topic, must never be notified: the notifier's consumer reads committed records only.
 *
 * <p>Full run only ({@code bin/faults}); CI has NotifierCrashIT (notifier module) on one broker.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@EnabledIfSystemProperty(named = "faults.full", matches = "true")
class NotifierOnClusterIT {
    private static final String PREFIX = "f6";
    private static final int DECLARATIONS = 5_000;
    private static final long SEED = 6;
    private static final String KOREA_700B = "2025|NATIONAL|KR|700000000000";
    /** The notifier's channels in the order it delivers on them, which is the order they are halted in. */
    private static final List<String> CHANNELS = List.of("webhook", "email", "outbox");
    private static final String SMTP_PASSWORD = "f6-smtp-pw-never-in-logs";
    private static final String WEBHOOK_SECRET = "f6-webhook-secret-never-in-logs";
    private static final Path LOGS = Path.of("target", "faults", "notifier-on-cluster");
    private static final Pattern OCCURRENCE_KEY = Pattern.compile("\"occurrenceKey\":\"([^\"]+)\"");

    @RegisterExtension
    static final KafkaPerClass kafka = KafkaPerClass.cluster(3);

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("notifier", SMTP_PASSWORD));

    /** One webhook call as the receiver saw it. */
    private record Call(String idempotencyKey, Instant at) {
    }

    @Test
    void killed_between_delivery_and_record_on_each_channel_the_notifier_sends_each_notice_once_per_channel(
            @TempDir Path dir) throws Throwable {
        ScenarioReport report = new ScenarioReport("6-notifier-killed", "6. The notifier killed between delivery and record");
        long started = System.nanoTime();
        List<Call> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = startWebhookReceiver(calls);
        PipelineRunner pipeline = null;
        JvmProcess notifier = null;
        try {
            // Given the pipeline's topics on the cluster, a small calibrated 2025, and a notifier config for all three channels
            SimulatorOptions options = SimulatorOptions.builder().declarations(DECLARATIONS).seed(SEED).progress(false).build();
            List<SimEvent> year = new ArrayList<>();
            DeclarationGenerator.create(options).forEachRemaining(year::add);
            long yearEndCents = Calibration.of(options).annualCents();
            PipelineConfig pipelineConfig = pipelineConfig(dir);
            createPipelineTopics(pipelineConfig);
            Properties notifierSettings = notifierSettings(dir, pipelineConfig.milestonesTopic(),
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            NotifierConfig notifierConfig = NotifierConfig.fromProperties(notifierSettings,
                    Map.of("TEST_SMTP_PASSWORD", SMTP_PASSWORD, "TEST_WEBHOOK_SECRET", WEBHOOK_SECRET)::get);
            Path configFile = dir.resolve("notifier.properties");
            try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                notifierSettings.store(out, "scenario 6");
            }
            Path outbox = notifierConfig.outboxFile();
            clearLogs();
            // and, first on the milestones topic, a milestone in a transaction that is aborted: no committed reader sees it
            Milestone aborted = writeAbortedMilestone(pipelineConfig.milestonesTopic());
            assertThat(readUncommitted(pipelineConfig.milestonesTopic())).as("the aborted milestone, read uncommitted")
                    .containsExactly(new String(ContractJson.instance().write(aborted), StandardCharsets.UTF_8));
            report.did("Started a cluster of three broker processes (replication 3, min ISR 2) and counted a calibrated 2025 of "
                    + String.format("%,d", DECLARATIONS) + " simulated declarations (seed " + SEED
                    + ") with the real pipeline in process, exactly-once, so its milestones are real ones.");
            report.did("Ran the notifier in a JVM of its own against the cluster, with e-mail (GreenMail SMTP), a webhook "
                    + "(a local receiver recording each call's Idempotency-Key) and the file outbox, while the pipeline counted.");

            // When the notifier halts right after a delivery and before its record, on each channel in turn, and is restarted
            notifier = startNotifier(configFile, "1-halts-after-webhook", CHANNELS.get(0));
            produce(pipelineConfig, year);
            pipeline = new PipelineRunner(pipelineConfig);
            pipeline.start();
            Map<String, Instant> haltedAt = new LinkedHashMap<>();
            for (int i = 0; i < CHANNELS.size(); i++) {
                String channel = CHANNELS.get(i);
                int exit = awaitExit(notifier, Duration.ofSeconds(90), "halt after the " + channel + " delivery");
                haltedAt.put(channel, Instant.now());
                assertThat(exit).as("exit code of the notifier told to halt after its %s delivery", channel)
                        .isEqualTo(Notifier.HALT_EXIT_CODE);
                assertThat(deliveredOn(channel, smtp.getReceivedMessages().length, calls.size(), outboxLines(outbox).size()))
                        .as("the %s delivery was made before the halt", channel).isTrue();
                String next = i + 1 < CHANNELS.size() ? CHANNELS.get(i + 1) : null;
                notifier = startNotifier(configFile, (i + 2) + (next == null ? "-runs-on" : "-halts-after-" + next), next);
            }
            report.did("Halted the notifier JVM (Runtime.halt: no shutdown hook, no flush, no offset commit, as after "
                    + "SIGKILL) right after a delivery and before its delivery record was written, on the webhook, then "
                    + "the e-mail, then the outbox (its test hook " + Notifier.HALT_AFTER_DELIVERY_PROPERTY
                    + "), starting it again each time: " + CHANNELS.size() + " kills, " + (CHANNELS.size() + 1)
                    + " JVM starts.");

            awaitYearCounted(pipelineConfig, pipeline, yearEndCents);
            List<Milestone> milestones = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : KafkaTopics.readAll(kafka.bootstrapServers(), pipelineConfig.milestonesTopic())) {
                milestones.add(ContractJson.instance().parseMilestone(r.value()));
            }
            Set<String> expected = milestones.stream().map(NotifierOnClusterIT::occurrencePrefix)
                    .collect(Collectors.toCollection(TreeSet::new));
            int n = milestones.size();
            assertThat(expected).as("one occurrence per milestone event").hasSize(n);
            assertThat(milestones).as("the pipeline's milestones include $700B crossed")
                    .anyMatch(m -> m.milestoneId().equals(KOREA_700B) && m.type() == MilestoneType.CROSSED);
            JvmProcess running = notifier;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(running.isAlive()).as("the restarted notifier runs; see " + LOGS).isTrue();
                return outboxLines(outbox).size() >= n && distinctMessageIds(smtp.getReceivedMessages()) >= n
                        && calls.stream().map(Call::idempotencyKey).distinct().count() >= n;
            });
            Instant allDelivered = Instant.now();
            // (nothing more arrives: no late repeat, no notice of the aborted milestone)
            Thread.sleep(1_500);

            // Then every notice is on every channel once: e-mail by Message-ID, webhook by Idempotency-Key, outbox by line
            MimeMessage[] mails = smtp.getReceivedMessages();
            Map<String, List<MimeMessage>> mailsByOccurrence = new TreeMap<>();
            for (MimeMessage m : mails) {
                mailsByOccurrence.computeIfAbsent(m.getHeader("X-Export-Counter-Occurrence", null), k -> new ArrayList<>()).add(m);
            }
            assertThat(prefixes(mailsByOccurrence.keySet())).as("e-mails: one occurrence per milestone").isEqualTo(expected);
            assertThat(distinctMessageIds(mails)).as("distinct Message-IDs").isEqualTo(n);
            for (List<MimeMessage> same : mailsByOccurrence.values()) {
                assertThat(same.stream().map(NotifierOnClusterIT::messageId).distinct()).as("Message-IDs of one notice").hasSize(1);
            }
            // the one e-mail repeat is the one the README promises: the e-mail halted before its record, sent again
            assertThat(mails).as("e-mails received: one per notice and the one sent again after the e-mail halt").hasSize(n + 1);
            List<String> repeatedMails = repeated(mailsByOccurrence, List::size);
            assertThat(repeatedMails).hasSize(1);
            report.met("One e-mail per milestone notice by Message-ID (" + n + " distinct Message-IDs, one per occurrence); "
                    + "the mailbox holds " + mails.length + " messages: the e-mail halted before its record went out again "
                    + "on restart with the same Message-ID, the repeat the notifier documents (SMTP has no idempotency key).");

            Map<String, List<Call>> callsByKey = calls.stream().collect(
                    Collectors.groupingBy(Call::idempotencyKey, TreeMap::new, Collectors.toList()));
            assertThat(prefixes(callsByKey.keySet())).as("webhook: one Idempotency-Key per milestone").isEqualTo(expected);
            assertThat(calls).as("raw webhook calls: one per key and the retry after the webhook halt").hasSize(n + 1);
            List<String> repeatedCalls = repeated(callsByKey, List::size);
            assertThat(repeatedCalls).hasSize(1);
            // both repeats are of the notice in flight at the halts: the first one notified
            assertThat(repeatedMails).isEqualTo(repeatedCalls);
            report.met("One webhook call per Idempotency-Key: " + calls.size() + " raw calls, " + callsByKey.size()
                    + " distinct keys; the only repeat is the call halted before its record, sent again with the same key.");

            List<String> lines = outboxLines(outbox);
            Set<String> outboxKeys = new TreeSet<>();
            for (String line : lines) {
                ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, line);
                Matcher key = OCCURRENCE_KEY.matcher(line);
                assertThat(key.find()).as("an occurrence key in %s", line).isTrue();
                outboxKeys.add(key.group(1));
            }
            assertThat(lines).as("outbox lines").hasSize(n);
            assertThat(lines.get(0)).as("the first outbox line is the notice in flight at the halts")
                    .contains("\"occurrenceKey\":\"" + repeatedCalls.get(0) + "\"");
            assertThat(prefixes(outboxKeys)).as("outbox: one line per milestone").isEqualTo(expected);
            assertThat(outboxKeys).as("the same occurrence keys on all three channels")
                    .isEqualTo(mailsByOccurrence.keySet()).isEqualTo(callsByKey.keySet());
            report.met("One outbox line per milestone (" + lines.size() + " lines, " + outboxKeys.size()
                    + " occurrence keys): the line written before the outbox halt was found on restart, not written again.");

            // and every delivery is recorded once, on a topic replicated on the three brokers
            List<ConsumerRecord<String, byte[]>> records = KafkaTopics.readAll(kafka.bootstrapServers(),
                    notifierConfig.deliveredTopic());
            Set<String> ledgerKeys = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
            assertThat(ledgerKeys).hasSize(3 * n);
            assertThat(records).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .contains("\"outcome\":\"DELIVERED\""));
            assertThat(KafkaTopics.readAll(kafka.bootstrapServers(), notifierConfig.deadLetterTopic())).isEmpty();
            int replicas = kafka.cluster().describe(notifierConfig.deliveredTopic()).partitions().get(0).replicas().size();
            assertThat(replicas).as("replicas of the delivery records").isEqualTo(3);
            report.met("Every delivery recorded as DELIVERED (" + records.size() + " records, " + ledgerKeys.size()
                    + " keys = 3 channels x " + n + "), none dead-lettered, on a topic with " + replicas + " replicas.");

            // and the notifier's consumer reads committed records only: the aborted milestone was never notified
            String abortedOccurrence = occurrencePrefix(aborted);
            assertThat(outboxKeys).noneMatch(k -> k.startsWith(abortedOccurrence));
            assertThat(mailsByOccurrence.keySet()).noneMatch(k -> k.startsWith(abortedOccurrence));
            assertThat(callsByKey.keySet()).noneMatch(k -> k.startsWith(abortedOccurrence));
            assertThat(notifierConfig.consumerProperties().getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                    .isEqualTo("read_committed");
            report.met("The notifier's consumer is read_committed on the cluster: a milestone in an aborted transaction, "
                    + "placed before the pipeline's on the milestones topic (a read_uncommitted reader sees it there), got no e-mail, webhook call or outbox line "
                    + "(and its consumer settings say isolation.level=read_committed).");

            // How long each restart took to complete the delivery it was halted in: from the halt to its record
            Map<String, Duration> recovery = recoveryTimes(records, haltedAt);
            assertThat(recovery.keySet()).containsExactlyElementsOf(CHANNELS);
            report.figure("declarations counted", String.format("%,d", DECLARATIONS))
                    .figure("milestones (events notified)", Integer.toString(n))
                    .figure("e-mails received (distinct Message-IDs)", mails.length + " (" + distinctMessageIds(mails) + ")")
                    .figure("webhook calls received (distinct Idempotency-Keys)", calls.size() + " (" + callsByKey.size() + ")")
                    .figure("outbox lines", Integer.toString(lines.size()))
                    .figure("delivery records", Integer.toString(records.size()))
                    .figure("kills (halts between delivery and record)", CHANNELS.size() + " (webhook, e-mail, outbox)");
            recovery.forEach((channel, d) -> report.figure("time to recover after the " + channel
                    + " halt (halt to its delivery recorded by the restarted JVM)", seconds(d)));
            report.figure("all notices delivered, after the last halt", seconds(Duration.between(haltedAt.get("outbox"), allDelivered)));
        } catch (Throwable t) {
            report.failed(t);
            throw t;
        } finally {
            if (notifier != null) {
                notifier.close();
            }
            if (pipeline != null) {
                pipeline.close();
            }
            receiver.stop(0);
            report.figure("wall time of the scenario (cluster start excluded)",
                    seconds(Duration.ofNanos(System.nanoTime() - started)));
            report.write();
        }
    }

    // ------------------------------------------------------------------ the pipeline

    private static PipelineConfig pipelineConfig(Path dir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("streams.bootstrap.servers", kafka.bootstrapServers());
        s.put("streams.application.id", PREFIX + "-pipeline");
        s.put("streams.state.dir", dir.resolve("state").toString());
        s.put("http.port", "0");
        for (String topic : List.of("declarations", "rates", "totals", "milestones", "rejected", "rates-by-week",
                "stage-one-pace", "forecasts")) {
            s.put("topics." + topic, PREFIX + "." + topic);
        }
        s.put("topics.partitions", "3");
        PipelineConfig config = PipelineConfig.defaults();
        for (Map.Entry<String, String> e : s.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    private static void createPipelineTopics(PipelineConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.declarationsTopic(), 3, (short) -1))).all().get();
        }
        PipelineRunner.createMissingTopics(config);
    }

    /** The year in time order: rates to the rates topic, declarations to theirs (keyed, so each key keeps its order). */
    private static void produce(PipelineConfig config, List<SimEvent> year) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SimEvent e : year) {
                String topic = e.kind().onRatesTopic() ? config.ratesTopic() : config.declarationsTopic();
                producer.send(new ProducerRecord<>(topic, e.key().getBytes(StandardCharsets.UTF_8), e.value()));
            }
            producer.flush();
        }
    }

    /** Until the national 2025 total is the year's and no total has moved for a second. */
    private static void awaitYearCounted(PipelineConfig config, PipelineRunner pipeline, long yearEndCents) {
        try (CountingRun.Progress progress = CountingRun.Progress.of(kafka.bootstrapServers(), config.totalsTopic())) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
                pipeline.fatalError().ifPresent(e -> {
                    throw new AssertionError("the pipeline stopped counting: " + e, e);
                });
                return progress.poll() == yearEndCents && progress.quietNanos() > 1_000_000_000L;
            });
        }
    }

    /**
     * A valid milestone written to the milestones topic in a transaction that is then aborted, keyed as the $700B so it
     * sits in the same partition, before the pipeline's records. Its crossing time (the last second of 2025) tells it
     * apart from the real one.
     */
    private static Milestone writeAbortedMilestone(String topic) {
        OffsetDateTime crossedAt = OffsetDateTime.parse("2025-12-31T23:59:59+09:00");
        Milestone m = new Milestone(KOREA_700B, MilestoneKind.THRESHOLD, MilestoneType.CROSSED, "2025", Dimension.NATIONAL,
                "KR", new BigDecimal("700000000000.00"), new BigDecimal("700000000000.00"), crossedAt, "11:59 p.m.",
                "00000-25-0000000A", Instant.now(), true);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PREFIX + "-aborted-milestone");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, m.milestoneId(), ContractJson.instance().write(m)));
            producer.flush();
            producer.abortTransaction();
        }
        return m;
    }

    /** The values on partition 0 of {@code topic} for a read_uncommitted reader (what aborted transactions left there). */
    private static List<String> readUncommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    // ------------------------------------------------------------------ the notifier

    private static Properties notifierSettings(Path dir, String milestonesTopic, String webhookUrl) {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("kafka.group.id", PREFIX + "-notifier");
        // The restarted JVM is the same member (static membership, as a supervisor restarting one instance): it takes its
        // partition back at once instead of waiting for the halted member's session to expire.
        p.setProperty("kafka.group.instance.id", PREFIX + "-notifier-0");
        p.setProperty("kafka.session.timeout.ms", "6000");
        p.setProperty("kafka.heartbeat.interval.ms", "1000");
        p.setProperty("topics.milestones", milestonesTopic);
        p.setProperty("topics.delivered", PREFIX + ".delivered");
        p.setProperty("topics.dead-letter", PREFIX + ".dead");
        // Milestone notices only: no heads-ups from forecasts.
        p.setProperty("forecast.approaching-horizon", "");
        p.setProperty("retry.initial-backoff", "PT0.05S");
        p.setProperty("retry.max-backoff", "PT0.2S");
        p.setProperty("webhook.enabled", "true");
        p.setProperty("webhook.url", webhookUrl);
        p.setProperty("webhook.secret", "${env:TEST_WEBHOOK_SECRET}");
        p.setProperty("email.enabled", "true");
        p.setProperty("email.smtp.host", "127.0.0.1");
        p.setProperty("email.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
        p.setProperty("email.smtp.security", "none");
        p.setProperty("email.smtp.username", "notifier");
        p.setProperty("email.smtp.password", "${env:TEST_SMTP_PASSWORD}");
        p.setProperty("email.from", "export-counter@example.com");
        p.setProperty("email.to", "press@example.com");
        p.setProperty("email.timeout", "PT10S");
        p.setProperty("outbox.enabled", "true");
        p.setProperty("outbox.file", dir.resolve("notices.jsonl").toString());
        return p;
    }

    /** The notifier in a JVM of its own; halting after its first delivery on {@code haltAfter} unless null. */
    private static JvmProcess startNotifier(Path config, String name, String haltAfter) {
        JvmProcess.Builder b = JvmProcess.of(NotifierMain.class).jvmOption("-Xmx256m").jvmOption("-XX:TieredStopAtLevel=1")
                .env(Map.of("TEST_SMTP_PASSWORD", SMTP_PASSWORD, "TEST_WEBHOOK_SECRET", WEBHOOK_SECRET))
                .args(config.toString()).logTo(LOGS.resolve("notifier-" + name + ".log"));
        if (haltAfter != null) {
            b.jvmOption("-D" + Notifier.HALT_AFTER_DELIVERY_PROPERTY + "=" + haltAfter);
        }
        return b.start();
    }

    /** The notifier JVMs' logs of this run only (they are appended to). */
    private static void clearLogs() throws IOException {
        Files.createDirectories(LOGS);
        try (var old = Files.list(LOGS)) {
            for (Path log : old.toList()) {
                Files.delete(log);
            }
        }
    }

    private static int awaitExit(JvmProcess p, Duration timeout, String what) throws InterruptedException {
        if (!p.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the notifier did not " + what + " within " + timeout.toSeconds() + " s; see " + LOGS);
        }
        return p.process().exitValue();
    }

    /** A local webhook receiver on a free port: answers 200 to every call and records its Idempotency-Key. */
    private static HttpServer startWebhookReceiver(List<Call> calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.add(new Call(exchange.getRequestHeaders().getFirst("Idempotency-Key"), Instant.now()));
            byte[] reply = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        return server;
    }

    // ------------------------------------------------------------------ what arrived

    /** Whether the channel halted on has something delivered (the first delivery on it happens just before its halt). */
    private static boolean deliveredOn(String channel, int mails, int calls, int outboxLines) {
        return switch (channel) {
            case "webhook" -> calls > 0;
            case "email" -> mails > 0;
            case "outbox" -> outboxLines > 0;
            default -> throw new IllegalArgumentException(channel);
        };
    }

    private static List<String> outboxLines(Path outbox) throws IOException {
        return Files.exists(outbox) ? Files.readAllLines(outbox, StandardCharsets.UTF_8) : List.of();
    }

    private static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException("cannot read a Message-ID", e);
        }
    }

    private static long distinctMessageIds(MimeMessage[] mails) {
        return java.util.Arrays.stream(mails).map(NotifierOnClusterIT::messageId).distinct().count();
    }

    /** {@code <milestoneId>|<type>|<detectedAt>|}: how the notifier's occurrence key of a milestone event begins. */
    private static String occurrencePrefix(Milestone m) {
        return m.milestoneId() + "|" + m.type().name() + "|" + ContractJson.formatUtcMillis(m.detectedAt()) + "|";
    }

    /** The occurrence keys without their last part (the hash of the milestone's JSON). */
    private static Set<String> prefixes(Set<String> occurrenceKeys) {
        return occurrenceKeys.stream().map(k -> k.substring(0, k.lastIndexOf('|') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static <T> List<String> repeated(Map<String, List<T>> byKey, Function<List<T>, Integer> count) {
        return byKey.entrySet().stream().filter(e -> count.apply(e.getValue()) > 1).map(Map.Entry::getKey).toList();
    }

    /** Per channel halted on: from the halt to the first delivery record on that channel (the restarted JVM's). */
    private static Map<String, Duration> recoveryTimes(List<ConsumerRecord<String, byte[]>> records, Map<String, Instant> haltedAt) {
        Map<String, Duration> out = new LinkedHashMap<>();
        haltedAt.forEach((channel, halt) -> records.stream().filter(r -> r.key().endsWith("|" + channel))
                .mapToLong(ConsumerRecord::timestamp).min()
                .ifPresent(first -> out.put(channel, Duration.between(halt, Instant.ofEpochMilli(first)))));
        return out;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
