package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.app.Cli.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ExportCounterCliTest {

    static final Pattern READY = Pattern.compile("Kafka broker ready at (localhost:(\\d+)) .*Ctrl-C");

    private static Run run(String... args) {
        return Cli.run(Termination.manual(), args);
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run run = run("frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'frobnicate'").contains("Usage: export-counter");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("Usage: export-counter").contains("broker");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Run notANumber = run("broker", "--port", "notanumber");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--port'").contains("Usage: export-counter broker");

        Run outOfRange = run("broker", "--port", "70000");
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("70000 is not between 0 and 65535").contains("Usage: export-counter broker");

        Run unknownOption = run("broker", "--frobnicate");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--frobnicate'");

        Run unknownTool = run("kafka", "frobnicate", "--bootstrap-server", "localhost:1");
        assertThat(unknownTool.exitCode()).isEqualTo(2);
        assertThat(unknownTool.err()).contains("Unknown Kafka tool 'frobnicate'").contains("console-consumer");
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: export-counter").contains("broker").contains("kafka");
        assertThat(help.err()).isEmpty();

        Run brokerHelp = run("broker", "--help");
        assertThat(brokerHelp.exitCode()).isZero();
        assertThat(brokerHelp.out()).contains("--port=N").contains("--data-dir=DIR").contains("--partitions=N");

        Run notifierHelp = run("notifier", "--help");
        assertThat(notifierHelp.exitCode()).isZero();
        assertThat(notifierHelp.out()).contains("webhook as CloudEvents").contains("Alertmanager").contains("file outbox")
                .contains("metrics.port").contains("--bootstrap-server");

        Run helpCommand = run("help", "kafka");
        assertThat(helpCommand.exitCode()).isZero();
        assertThat(helpCommand.out()).contains("console-producer").contains("topics");

        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("export-counter").contains("Kafka 4.4.0").contains("Java 17");
    }

    @Test
    void everyKafkaToolIsOnTheClassPath() throws Exception {
        for (Map.Entry<String, String> tool : KafkaToolCommand.TOOLS.entrySet()) {
            assertThat(Class.forName(tool.getValue()).getMethod("main", String[].class)).as(tool.getKey()).isNotNull();
        }
    }

    @Test
    @Timeout(180)
    void brokerCommandServesClientsAndStopsCleanly() throws Exception {
        Termination termination = Termination.manual();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> new ExportCounterCli(termination)
                .execute(new PrintWriter(out, true), new PrintWriter(err, true), "broker", "--port", "0", "--partitions", "2"));

        await().atMost(Duration.ofSeconds(150)).until(() -> READY.matcher(out.toString()).find() || exitCode.isDone());
        Matcher ready = READY.matcher(out.toString());
        assertThat(ready.find()).as("ready line in %s / %s", out, err).isTrue();
        assertThat(out.toString().lines()).hasSize(1);
        String bootstrap = ready.group(1);
        int port = Integer.parseInt(ready.group(2));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("auto-created", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            assertThat(admin.describeTopics(List.of("auto-created")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("auto-created").partitions()).as("--partitions 2").hasSize(2);
        }
        assertThat(exitCode).isNotDone();

        termination.request();
        assertThat(exitCode.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(portIsFree(port)).as("the broker released its port").isTrue();
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
