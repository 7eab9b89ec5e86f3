package io.exportcounter.kafka;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * One node of a {@link KafkaCluster}, in a JVM of its own: {@code KafkaNodeMain server.properties}. Starts a KRaft
 * broker+controller from the (already formatted) storage the file names and runs until SIGTERM (a controlled shutdown,
 * as {@code kafka-server-stop.sh} would ask) or SIGKILL. Once started (which a broker is when the controller has let
 * it in), it writes its pid to the file {@code -Dexport-counter.kafka-node.ready-file} names.
 *
 * <p>With {@code -D}{@value #PARENT_PID_PROPERTY}{@code =PID} the node halts as soon as that process ends, so a
 * cluster's nodes never outlive the JVM that started them, even one killed with SIGKILL (whose shutdown hooks do not
 * run). A node stopped with SIGSTOP at that moment halts when it is continued.
 */
public final class KafkaNodeMain {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNodeMain.class);

    /** The process whose end ends this node (the JVM owning the cluster). */
    public static final String PARENT_PID_PROPERTY = "export-counter.kafka-node.parent-pid";

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KafkaNodeMain SERVER_PROPERTIES");
            System.exit(2);
        }
        watchParent();
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            props.load(in);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Kafka node {} stopping (controlled shutdown)", props.getProperty("node.id"));
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-node-shutdown"));
        long t0 = System.nanoTime();
        try {
            server.startup();
        } catch (Throwable e) {
            LOG.error("Kafka node {} failed to start: {}", props.getProperty("node.id"), e.toString(), e);
            Runtime.getRuntime().halt(1);
        }
        LOG.info("Kafka node {} started in {} ms (listeners {})", props.getProperty("node.id"),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), props.getProperty("listeners"));
        String ready = System.getProperty(KafkaCluster.READY_FILE_PROPERTY);
        if (ready != null) {
            // Written whole, then moved: the cluster never reads half a pid.
            Path tmp = Path.of(ready + ".tmp");
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
            Files.move(tmp, Path.of(ready), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        server.awaitShutdown();
    }

    private static void watchParent() {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        if (parent.isEmpty()) {
            Runtime.getRuntime().halt(3);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("The process " + pid + " that started this Kafka node has ended; halting");
            Runtime.getRuntime().halt(3);
        });
    }
}
