package io.exportcounter.kafka;

import static io.exportcounter.kafka.TopicRecords.sendInTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "transactions-test";

    @Test
    @Timeout(240)
    void transactionsAreReadCommittedAndSurviveARestartOnTheSameDataDir(@TempDir Path dataDir) throws Exception {
        List<String> committed = new ArrayList<>();
        int firstPort;
        String clusterId;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(kafka.isRunning()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + kafka.port());
            firstPort = kafka.port();
            clusterId = kafka.clusterId();

            kafka.createTopic(TOPIC, 2, Map.of("cleanup.policy", "delete"));
            kafka.createTopic(TOPIC, 2, Map.of()); // idempotent
            assertThat(kafka.listTopics()).contains(TOPIC);

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-test-1")) {
                producer.initTransactions();

                committed.addAll(sendInTransaction(producer, TOPIC, "committed-", 0, 5, true));
                sendInTransaction(producer, TOPIC, "aborted-", 0, 3, false);
                committed.addAll(sendInTransaction(producer, TOPIC, "committed-", 5, 7, true));
            }

            assertThat(readAll(kafka, "read_committed")).containsExactlyInAnyOrderElementsOf(committed);
            // The aborted records are in the log: a read_uncommitted consumer sees them.
            assertThat(readAll(kafka, "read_uncommitted"))
                    .hasSize(committed.size() + 3)
                    .contains("aborted-0", "aborted-1", "aborted-2");

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.stop(); // idempotent
        }

        assertThat(dataDir.resolve(EmbeddedKafkaBroker.LOG_DIR).resolve("meta.properties")).exists();

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(kafka.port()).as("port 0 reuses the previous port when it is free").isEqualTo(firstPort);
            assertThat(kafka.listTopics()).contains(TOPIC);
            assertThat(readAll(kafka, "read_committed")).containsExactlyInAnyOrderElementsOf(committed);
        }
        assertThat(dataDir).as("a given data directory is kept").isDirectory();
    }

    @Test
    @Timeout(180)
    void restartsWhenTheControllerPortOfThePreviousRunIsTaken(@TempDir Path dataDir) throws Exception {
        int controllerPort;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            controllerPort = kafka.controllerPort();
            kafka.createTopic("kept", 1, Map.of());
            produce(kafka, "kept", "v1");
        }
        try (ServerSocket squatter = bind(controllerPort);
             EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(kafka.controllerPort()).isNotEqualTo(controllerPort);
            produce(kafka, "kept", "v2");
            assertThat(readAll(kafka, "read_committed", "kept")).containsExactly("v1", "v2");

            // A second broker on a data directory in use fails clearly and leaves the first one alone.
            EmbeddedKafkaBroker intruder = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();
            assertThatThrownBy(intruder::start).isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("is in use by another Kafka broker");
            assertThat(intruder.isRunning()).isFalse();
            produce(kafka, "kept", "v3");
            assertThat(readAll(kafka, "read_committed", "kept")).containsExactly("v1", "v2", "v3");
        }
    }

    @Test
    @Timeout(240)
    void twoBrokersOnFreePortsInOneJvm() throws Exception {
        Path firstDir;
        try (EmbeddedKafkaBroker a = EmbeddedKafkaBroker.builder().build().start();
             EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder().brokerProperty("num.partitions", "3").build().start()) {
            assertThat(Set.of(a.port(), a.controllerPort(), b.port(), b.controllerPort())).hasSize(4);
            assertThat(a.clusterId()).isNotEqualTo(b.clusterId());
            firstDir = a.dataDir();

            produce(a, "only-on-a", "hello a");
            produce(b, "only-on-b", "hello b"); // auto-created with num.partitions=3
            assertThat(readAll(a, "read_committed", "only-on-a")).containsExactly("hello a");
            assertThat(readAll(b, "read_committed", "only-on-b")).containsExactly("hello b");
            assertThat(a.listTopics()).contains("only-on-a").doesNotContain("only-on-b");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of("only-on-b")).allTopicNames().get().get("only-on-b").partitions()).hasSize(3);
                // The dynamic broker-logger endpoint uses log4j-core, which is not on the classpath:
                // the broker must answer (with no loggers) rather than crash.
                ConfigResource loggers = new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1");
                Config config = admin.describeConfigs(List.of(loggers)).all().get(10, TimeUnit.SECONDS).get(loggers);
                assertThat(config).isNotNull();
                AlterConfigOp setLevel = new AlterConfigOp(new ConfigEntry("kafka.server.ReplicaManager", "DEBUG"), AlterConfigOp.OpType.SET);
                Throwable alter = catchThrowable(() -> admin.incrementalAlterConfigs(Map.of(loggers, List.of(setLevel))).all().get(10, TimeUnit.SECONDS));
                assertThat(alter).as("answered, not timed out").isNotInstanceOf(java.util.concurrent.TimeoutException.class);
            }

            a.stop();
            assertThat(a.isRunning()).isFalse();
            assertThat(firstDir).as("a temporary data directory is deleted on stop").doesNotExist();
            assertThat(b.isRunning()).isTrue();
            produce(b, "only-on-b", "still up");
        }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket squatter = bind(0)) {
            EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().port(squatter.getLocalPort()).build();
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("Port " + squatter.getLocalPort() + " is already in use");
            assertThat(kafka.isRunning()).isFalse();
        }
    }

    @Test
    void loggingHasExactlyOneBackend() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        assertThat(resources(cl, "META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))
                .as("exactly one SLF4J provider").hasSize(1)
                .allMatch(url -> url.contains("logback-classic"));
        assertThat(resources(cl, "org/slf4j/impl/StaticLoggerBinder.class")).as("no SLF4J 1.x binding").isEmpty();
        assertThat(resources(cl, "META-INF/services/org.apache.logging.log4j.spi.Provider"))
                .as("log4j2 API routed to SLF4J only").hasSize(1)
                .allMatch(url -> url.contains("log4j-to-slf4j"));
        assertThat(resources(cl, "org/apache/logging/log4j/core/LoggerContext.class")).as("no log4j-core").isEmpty();
        assertThat(resources(cl, "org/apache/commons/logging/LogFactory.class")).hasSize(1)
                .allMatch(url -> url.contains("jcl-over-slf4j"));
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
                .isEqualTo("ch.qos.logback.classic.LoggerContext");
        assertThat(org.apache.logging.log4j.LogManager.getContext(false).getClass().getName()).startsWith("org.apache.logging.slf4j");
    }

    private static List<String> resources(ClassLoader cl, String name) throws IOException {
        return java.util.Collections.list(cl.getResources(name)).stream().map(Object::toString).collect(Collectors.toList());
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(EmbeddedKafkaBroker.HOST), port));
        return socket;
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafkaBroker kafka, String transactionalId) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void produce(EmbeddedKafkaBroker kafka, String topic, String value) throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(EmbeddedKafkaBroker kafka, String isolationLevel) {
        return readAll(kafka, isolationLevel, TOPIC);
    }

    static List<String> readAll(EmbeddedKafkaBroker kafka, String isolationLevel, String topic) {
        return TopicRecords.readAll(kafka.clientProperties(), topic, isolationLevel, Duration.ofSeconds(30));
    }

}
