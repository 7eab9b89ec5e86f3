package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Total;
import io.exportcounter.kafka.KafkaCluster;
import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.PipelineMain;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.serving.ServingServer;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.KafkaPerClass;
import io.exportcounter.testsupport.KafkaTopics;
import io.exportcounter.testsupport.RandomTrade;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against a cluster that demands it (three nodes; TLS on every listener, SASL/SCRAM-SHA-512, ACLs with nothing allowed
 * by default), each principal can do what its role needs, with exactly the ACLs {@code export-counter kafka acls}
 * prints, and nothing else.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SecuredClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(SecuredClusterIT.class);

    @RegisterExtension
    static final KafkaPerClass kafka = KafkaPerClass.cluster(3, KafkaCluster.Builder::secured);

    static final String PIPELINE_USER = "export-counter";
    static final String PIPELINE_PASSWORD = "pipeline-Secret-7f3a9c";
    static final String ALERTING_USER = "alerting";
    static final String ALERTING_PASSWORD = "alerting-Secret-41bd2e";
    static final String NOTIFIER_USER = "export-counter-notifier";
    static final String NOTIFIER_PASSWORD = "notifier-Secret-9e02c1";

    @TempDir
    static Path dir;

    @BeforeAll
    static void usersAndTheirAcls() throws Exception {
        KafkaCluster cluster = kafka.cluster();
        cluster.createUser(PIPELINE_USER, PIPELINE_PASSWORD);
        cluster.createUser(ALERTING_USER, ALERTING_PASSWORD);
        cluster.createUser(NOTIFIER_USER, NOTIFIER_PASSWORD);
        // The administrator's client settings, as an operator would pass them to the command
        Path admin = dir.resolve("admin.properties");
        Properties adminProps = new Properties();
        cluster.clientProperties().forEach((k, v) -> adminProps.setProperty(k, v.toString()));
        try (OutputStream out = Files.newOutputStream(admin)) {
            adminProps.store(out, null);
        }
        for (String[] role : new String[][] {{"pipeline", "User:" + PIPELINE_USER}, {"alerting", "User:" + ALERTING_USER},
                {"notifier", "User:" + NOTIFIER_USER}}) {
            Cli.Run run = Cli.run(Termination.manual(), "kafka", "acls", "--role", role[0], "--principal", role[1],
                    "--apply", "--bootstrap-server", cluster.bootstrapServers(), "--command-config", admin.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Applied ");
            LOG.info("ACLs of role {}:\n{}", role[0], run.out());
        }
    }

    @Test
    void thePipelineAndTheNotifierWorkWithTheirCredentialsAndOnlyTheirAcls() throws Exception {
        // Given the pipeline (and its HTTP side) as User:export-counter, with a $1,000 threshold, and the notifier as
        // User:export-counter-notifier, each with its password from the environment
        KafkaCluster cluster = kafka.cluster();
        Properties pipelineProps = pipelineProperties(dir.resolve("state"));
        pipelineProps.setProperty("milestones.thresholds.NATIONAL.KR", "1000");
        PipelineConfig config = PipelineConfig.fromProperties(pipelineProps, Map.of("KAFKA_PASSWORD", PIPELINE_PASSWORD)::get);
        Path outbox = dir.resolve("notices.jsonl");
        NotifierConfig notifierConfig = NotifierConfig.fromProperties(notifierProperties(outbox),
                Map.of("KAFKA_PASSWORD", NOTIFIER_PASSWORD)::get);
        RandomTrade trade = new RandomTrade(20260101L, 3_000);
        try (PipelineRunner pipeline = new PipelineRunner(config); ServingServer server = ServingServer.start(pipeline, 0)) {
            pipeline.start();
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(120))).isTrue();
            try (Notifier notifier = new Notifier(notifierConfig).start()) {
                // When declarations and rates arrive
                Map<String, Object> admin = cluster.clientProperties();
                produce(admin, config.ratesTopic(), trade.rateEvents);
                produce(admin, config.declarationsTopic(), trade.declarationEvents);

                // Then every total is exact
                Map<String, Total> actual = new HashMap<>();
                try (KafkaTopics.Follower totals = new KafkaTopics.Follower(admin, config.totalsTopic())) {
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        for (ConsumerRecord<String, byte[]> r : totals.poll()) {
                            actual.put(r.key(), ContractJson.instance().parseTotal(r.value()));
                        }
                        return trade.allExact(actual);
                    });
                }
                assertThat(pipeline.fatalError()).isEmpty();
                // And the $1,000 crossing reaches the notifier's outbox, its delivery recorded on its own topic
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                        .until(() -> notifier.stats().delivered() >= 1);
                assertThat(Files.readString(outbox)).contains("|NATIONAL|KR|1000|CROSSED|");
                assertThat(notifier.failure()).isEmpty();
                assertThat(KafkaTopics.readAll(admin, notifierConfig.deliveredTopic())).isNotEmpty();
            }
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithOneLineNamingTheKeyAndNoSecret() throws Exception {
        // Given the pipeline in a JVM of its own, with a wrong password in its environment
        Path config = dir.resolve("wrong-password.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            pipelineProperties(dir.resolve("wrong-state")).store(out, null);
        }
        String wrong = "not-the-Password-0d1e";
        JvmProcess pipeline = JvmProcess.of(PipelineMain.class).args(config.toString())
                .env(Map.of("KAFKA_PASSWORD", wrong)).start();
        String output;
        int exit;
        try {
            pipeline.process().getOutputStream().close();
            // When it starts
            assertThat(pipeline.process().waitFor(90, TimeUnit.SECONDS)).as("the start stopped").isTrue();
            output = JvmProcess.readAll(pipeline.process().getInputStream()) + JvmProcess.readAll(pipeline.process().getErrorStream());
            exit = pipeline.process().exitValue();
        } finally {
            pipeline.close();
        }
        LOG.info("Output of the pipeline with a wrong password (exit code {}):\n{}", exit, output);

        // Then it stops with the exit code of a bad configuration, one line naming the key, no stack trace
        assertThat(exit).isEqualTo(2);
        List<String> naming = output.lines().filter(l -> l.contains("streams.sasl.jaas.config")).toList();
        assertThat(naming).hasSize(1);
        assertThat(naming.get(0)).contains("ERROR").contains("refused the login of user 'export-counter'");
        assertThat(output).doesNotContain("\tat ");
        // And neither the password given nor the real one appears anywhere
        assertThat(output).doesNotContain(wrong).doesNotContain(PIPELINE_PASSWORD);
    }

    @Test
    void anAlertingClientReadsMilestonesButNotTotalsAndCannotWriteMilestones() throws Exception {
        KafkaCluster cluster = kafka.cluster();
        for (String topic : List.of("export.milestones", "export.totals")) {
            cluster.createTopic(topic, 1, Map.of());
        }
        Map<String, Object> alerting = cluster.clientProperties(ALERTING_USER, ALERTING_PASSWORD);

        // Reads export.milestones in its own group
        try (KafkaConsumer<String, String> consumer = consumer(alerting, "export-counter-alerting")) {
            consumer.subscribe(List.of("export.milestones"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.assignment().isEmpty()) {
                assertThat(System.nanoTime()).as("assigned export.milestones in time").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).containsExactly(new TopicPartition("export.milestones", 0));
            consumer.commitSync();
        }
        // but not in another group,
        try (KafkaConsumer<String, String> consumer = consumer(alerting, "someone-elses-group")) {
            consumer.subscribe(List.of("export.milestones"));
            assertThat(catchThrowable(() -> pollFor(consumer, Duration.ofSeconds(30)))).isInstanceOf(GroupAuthorizationException.class);
        }
        // nor export.totals,
        try (KafkaConsumer<String, String> consumer = consumer(alerting, "export-counter-alerting")) {
            consumer.assign(List.of(new TopicPartition("export.totals", 0)));
            assertThat(catchThrowable(() -> pollFor(consumer, Duration.ofSeconds(30)))).isInstanceOf(TopicAuthorizationException.class);
        }
        // and it cannot write export.milestones
        Map<String, Object> producerProps = new HashMap<>(alerting);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>("export.milestones", "k", "forged"))
                    .get(30, TimeUnit.SECONDS));
            assertThat(refused).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aClientWithoutCredentialsGetsNothing() {
        KafkaCluster cluster = kafka.cluster();
        // No SASL at all (plain TCP), TLS without SASL, and SASL with a wrong password
        Map<String, Object> plaintext = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        Map<String, Object> tlsOnly = new HashMap<>(plaintext);
        tlsOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tlsOnly.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, cluster.tls().truststore().toString());
        tlsOnly.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, cluster.tls().password());
        Map<String, Object> wrongPassword = cluster.clientProperties(ALERTING_USER, "guessed-password");
        for (Map<String, Object> client : List.of(plaintext, tlsOnly)) {
            // (no answer at all: the broker drops the connection of a client that does not authenticate)
            assertThat(catchThrowable(() -> listTopics(client))).as("%s", client.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
        assertThat(catchThrowable(() -> listTopics(wrongPassword))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    /** The pipeline's settings on the secured cluster, as in config/pipeline.properties, its password from KAFKA_PASSWORD. */
    private static Properties pipelineProperties(Path stateDir) throws Exception {
        KafkaCluster cluster = kafka.cluster();
        Properties p = new Properties();
        p.setProperty("streams.bootstrap.servers", cluster.bootstrapServers());
        p.setProperty("streams.state.dir", Files.createDirectories(stateDir).toString());
        p.setProperty("streams.security.protocol", "SASL_SSL");
        p.setProperty("streams.sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty("streams.sasl.jaas.config", KafkaCluster.scramJaas(PIPELINE_USER, "${env:KAFKA_PASSWORD}"));
        p.setProperty("streams.ssl.truststore.location", cluster.tls().truststore().toString());
        p.setProperty("streams.ssl.truststore.password", cluster.tls().password());
        p.setProperty("streams.ssl.truststore.type", "PKCS12");
        p.setProperty("streams.session.timeout.ms", "10000");
        p.setProperty("topics.partitions", "2");
        p.setProperty("http.port", "0");
        return p;
    }

    /** The notifier's settings on the secured cluster, its password from KAFKA_PASSWORD. */
    private static Properties notifierProperties(Path outbox) {
        KafkaCluster cluster = kafka.cluster();
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", cluster.bootstrapServers());
        p.setProperty("kafka.security.protocol", "SASL_SSL");
        p.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty("kafka.sasl.jaas.config", KafkaCluster.scramJaas(NOTIFIER_USER, "${env:KAFKA_PASSWORD}"));
        p.setProperty("kafka.ssl.truststore.location", cluster.tls().truststore().toString());
        p.setProperty("kafka.ssl.truststore.password", cluster.tls().password());
        p.setProperty("kafka.ssl.truststore.type", "PKCS12");
        p.setProperty("kafka.session.timeout.ms", "6000");
        p.setProperty("kafka.heartbeat.interval.ms", "1000");
        p.setProperty("outbox.file", outbox.toString());
        p.setProperty("notices.max-age", "");
        return p;
    }

    private static void produce(Map<String, Object> client, String topic, List<RandomTrade.Event> events) {
        try (KafkaProducer<String, String> producer = KafkaTopics.producer(client)) {
            for (RandomTrade.Event e : events) {
                producer.send(new ProducerRecord<>(topic, e.key(), e.json()));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> client, String group) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code timeout}: an authorization error is thrown from a poll. */
    private static void pollFor(KafkaConsumer<String, String> consumer, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    private static void listTopics(Map<String, Object> client) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(15, TimeUnit.SECONDS);
        }
    }
}
