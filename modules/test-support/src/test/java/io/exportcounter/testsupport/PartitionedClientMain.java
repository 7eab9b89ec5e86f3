package io.exportcounter.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The process {@link NetworkNamespaceIT} runs inside a network namespace: a Kafka producer and a raw TCP connect,
 * driven by lines on standard input, each answered by one {@code RESULT} line on standard output.
 *
 * <ul>
 *   <li>{@code produce <topic> <value>}: {@code RESULT produced <ms>} or {@code RESULT failed <ms> <exception> <message>};</li>
 *   <li>{@code connect <host> <port> <timeout ms>}: {@code RESULT connected <ms>} or {@code RESULT failed <ms> <exception> <message>}.</li>
 * </ul>
 *
 * <p>Its Kafka timeouts are short ({@link #REQUEST_TIMEOUT_MS} a request, {@link #DELIVERY_TIMEOUT_MS} a record) so that
 * a cut costs the test seconds, not minutes; it ends when its standard input does.
 */
public final class PartitionedClientMain {
    static final int REQUEST_TIMEOUT_MS = 3_000;
    static final int DELIVERY_TIMEOUT_MS = 5_000;

    private PartitionedClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "partitioned-client");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        // Once healed, a connection attempt started during the cut gives up soon and the next one gets through.
        p.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2_000);
        p.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("RESULT ready");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] command = line.trim().split(" ");
                long t0 = System.nanoTime();
                String outcome;
                try {
                    outcome = switch (command[0]) {
                        case "produce" -> produce(producer, command[1], command[2]);
                        case "connect" -> connect(command[1], Integer.parseInt(command[2]), Integer.parseInt(command[3]));
                        default -> throw new IllegalArgumentException("unknown command: " + line);
                    };
                    outcome = outcome + " " + elapsedMs(t0);
                } catch (Exception e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    outcome = "failed " + elapsedMs(t0) + " " + cause.getClass().getName() + " " + cause.getMessage();
                }
                System.out.println("RESULT " + outcome);
            }
        }
    }

    private static String produce(KafkaProducer<String, String> producer, String topic, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, value, value)).get();
        return "produced";
    }

    private static String connect(String host, int port, int timeoutMs) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            return "connected";
        }
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
