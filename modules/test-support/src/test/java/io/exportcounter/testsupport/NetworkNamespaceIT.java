package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.kafka.KafkaCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JVM in a network namespace reaches a three-node cluster over a veth pair, is cut off from it (its connects and
 * requests time out; nothing refuses them) while this machine goes on using the cluster, and works again once healed.
 * Skipped where this machine does not allow network namespaces (not root, no {@code ip}, no namespaces).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkNamespaceIT {
    private static final String TOPIC = "netns.probe";
    private static final Path CLIENT_LOG = Path.of("target", "network-namespace-it", "client.log");

    @RegisterExtension
    @Order(1)
    static final NetworkNamespacePerClass partition = new NetworkNamespacePerClass("ec-nsit", 17);

    @RegisterExtension
    @Order(2)
    static final KafkaPerClass kafka = KafkaPerClass.cluster(3, b -> b.host(partition.hostAddress()));

    @Test
    void a_jvm_cut_off_from_the_brokers_times_out_instead_of_being_refused_and_works_again_once_healed() throws Exception {
        // Given the brokers listening on this machine's end of the veth pair, and a JVM inside the namespace using them
        NetworkNamespace ns = partition.namespace();
        KafkaCluster cluster = kafka.cluster();
        assertThat(cluster.bootstrapServers()).startsWith(ns.hostAddress() + ":");
        try (Client client = Client.launch(ns, cluster.bootstrapServers())) {
            cluster.createTopic(TOPIC, 1, Map.of());
            KafkaCluster.KafkaNode leader = cluster.leaderOf(new TopicPartition(TOPIC, 0));
            client.awaitReady();
            assertThat(ProcessHandle.of(client.process.pid()).flatMap(h -> h.info().command()))
                    .as("the process JvmProcess started is the JVM itself, not ip").hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
            assertThat(ns.contains(client.process.pid())).as("the JVM runs in the namespace").isTrue();
            assertThat(ns.contains(ProcessHandle.current().pid())).as("the test's JVM does not").isFalse();
            assertThat(client.call("connect " + ns.hostAddress() + " " + leader.port() + " 2000")).startsWith("connected");
            assertThat(client.call("produce " + TOPIC + " before-cut")).startsWith("produced");

            // When the namespace is cut off
            ns.cut();

            // Then a connect to a broker hangs until its timeout (no refusal, no "no route to host")
            Result connect = Result.of(client.call("connect " + ns.hostAddress() + " " + leader.port() + " 2000"));
            assertThat(connect.outcome()).isEqualTo("failed");
            assertThat(connect.detail()).startsWith("java.net.SocketTimeoutException");
            assertThat(connect.elapsedMs()).isGreaterThanOrEqualTo(1_900);
            // and a produce waits out its delivery timeout
            Result produce = Result.of(client.call("produce " + TOPIC + " during-cut"));
            assertThat(produce.outcome()).isEqualTo("failed");
            assertThat(produce.detail()).startsWith("org.apache.kafka.common.errors.TimeoutException");
            assertThat(produce.elapsedMs()).isGreaterThanOrEqualTo(PartitionedClientMain.DELIVERY_TIMEOUT_MS - 100);
            // while this machine still reaches the brokers at the same address, and they each other
            try (KafkaProducer<String, String> host = KafkaTopics.producer(cluster.bootstrapServers())) {
                host.send(new ProducerRecord<>(TOPIC, "host-during-cut", "host-during-cut")).get(30, TimeUnit.SECONDS);
            }

            // When it is healed
            ns.heal();

            // Then the same JVM produces again (once its client has reconnected)
            String afterHeal = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!afterHeal.startsWith("produced") && System.nanoTime() < deadline) {
                afterHeal = client.call("produce " + TOPIC + " after-heal");
            }
            assertThat(afterHeal).as("a produce from the namespace within 30 s of the heal").startsWith("produced");
            // and the topic holds what was written before the cut, by this machine during it, and after it; nothing
            // from the namespace during it
            List<String> values = KafkaTopics.readAll(cluster.bootstrapServers(), TOPIC).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            assertThat(values).contains("before-cut", "host-during-cut", "after-heal").doesNotContain("during-cut");

            // and SIGSTOP, SIGCONT and SIGKILL reach the JVM inside
            long pid = client.process.pid();
            client.process.pause();
            assertThat(awaitStopped(pid, true)).as("the paused JVM is stopped").isTrue();
            client.process.resume();
            assertThat(awaitStopped(pid, false)).as("the resumed JVM runs").isTrue();
            client.process.kill();
            assertThat(client.process.isAlive()).isFalse();
            assertThat(ns.processes()).as("processes left in the namespace").isEmpty();
        }
    }

    /** Whether the process comes to be stopped (state T in {@code /proc/<pid>/stat}), or not, within 5 s. */
    private static boolean awaitStopped(long pid, boolean stopped) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("T") == stopped) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    /** A {@code RESULT} line of {@link PartitionedClientMain}: outcome, elapsed ms, detail. */
    private record Result(String outcome, long elapsedMs, String detail) {
        static Result of(String line) {
            String[] parts = line.split(" ", 3);
            return new Result(parts[0], Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
        }
    }

    /** {@link PartitionedClientMain} in a JVM inside the namespace; its output goes to {@link #CLIENT_LOG} too. */
    private static final class Client implements AutoCloseable {
        private final JvmProcess process;
        private final Writer commands;
        private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
        private final Writer log;

        private Client(JvmProcess process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
            try {
                Files.createDirectories(CLIENT_LOG.getParent());
                this.log = Files.newBufferedWriter(CLIENT_LOG, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            drain(process.process().getInputStream(), "stdout");
            drain(process.process().getErrorStream(), "stderr");
        }

        static Client launch(NetworkNamespace ns, String bootstrapServers) {
            return new Client(JvmProcess.of(PartitionedClientMain.class).jvmOption("-XX:TieredStopAtLevel=1")
                    .networkNamespace(ns).args(bootstrapServers).start());
        }

        void awaitReady() throws InterruptedException {
            assertThat(results.poll(60, TimeUnit.SECONDS)).as("the client JVM's first line (see " + CLIENT_LOG + ")").isEqualTo("ready");
        }

        /** Sends one command and returns its result line without the {@code RESULT } prefix. */
        String call(String command) throws IOException, InterruptedException {
            commands.write(command + "\n");
            commands.flush();
            String result = results.poll(60, TimeUnit.SECONDS);
            assertThat(result).as("the client's answer to '" + command + "' (see " + CLIENT_LOG + ")").isNotNull();
            return result;
        }

        /** Copies a stream of the JVM to the log (both must be read, or it blocks once a pipe is full), taking the results. */
        private void drain(InputStream stream, String name) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (log) {
                            log.write(line + "\n");
                            log.flush();
                        }
                        if (line.startsWith("RESULT ")) {
                            results.add(line.substring("RESULT ".length()));
                        }
                    }
                } catch (IOException e) {
                    // the JVM has ended
                }
            }, "partitioned-client-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws InterruptedException, IOException {
            process.close();
            synchronized (log) {
                log.close();
            }
        }
    }
}
