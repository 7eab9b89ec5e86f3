package io.exportcounter.pipeline;

import io.exportcounter.contract.topics.MissingTopics;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.pipeline.declarations.WarmLedgers;
import io.exportcounter.pipeline.errors.RejectingExceptionHandlers;
import io.exportcounter.pipeline.errors.StreamThreadFailures;
import io.exportcounter.pipeline.kafkainternals.HalfCreatedStores;
import io.exportcounter.pipeline.state.RestoreLog;
import io.exportcounter.pipeline.kafkainternals.InputLag;
import io.exportcounter.pipeline.metrics.PipelineStats;
import io.exportcounter.pipeline.order.ConsumerInputEnds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline instance: makes sure the topics exist (when allowed), builds the topology and
 * drives the Kafka Streams client until {@link #close()}.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private final PipelineConfig config;
    private final PipelineStats stats = new PipelineStats();
    private final KafkaStreams streams;
    /** Stage 2 checks stage-1 tasks' idle claims against these end offsets (see StageOnePositions). */
    private final ConsumerInputEnds inputEnds;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable fatalError;
    /** Partitions of the declarations topic, looked up at start: stage 2 waits to hear from a task of each. */
    private volatile int declarationPartitions;
    private final WarmLedgers warmLedgers = new WarmLedgers();

    public PipelineRunner(PipelineConfig config) {
        this.config = config;
        Properties props = streamsProperties(config);
        StreamsConfig streamsConfig = new StreamsConfig(props);
        HalfCreatedStores.removeFrom(Path.of(streamsConfig.getString(StreamsConfig.STATE_DIR_CONFIG),
                streamsConfig.getString(StreamsConfig.APPLICATION_ID_CONFIG)));
        InputLag inputLag = new InputLag();
        this.inputEnds = ConsumerInputEnds.create(consumerProperties(config), config.declarationsTopic(),
                props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "export-counter") + "-input-ends");
        try {
            Topology topology = ExportCounterTopology.build(config, stats, () -> declarationPartitions, inputLag, inputEnds,
                    warmLedgers);
            this.streams = new KafkaStreams(topology, props, inputLag);
        } catch (RuntimeException e) {
            inputEnds.close();
            throw e;
        }
        streams.setStateListener((now, before) -> {
            log.info("Pipeline state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setGlobalStateRestoreListener(new RestoreLog());
        streams.setStandbyUpdateListener(warmLedgers);
        StreamThreadFailures failures = new StreamThreadFailures(Clock.systemUTC());
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = failures.responseTo(e);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                log.warn("A stream thread was fenced: its transaction had already been aborted by the broker (the JVM "
                        + "was paused past the transaction timeout?); replacing the thread, which rejoins and redoes "
                        + "the uncommitted work ({})", StreamThreadFailures.rootCause(e).toString());
                return response;
            }
            fatalError = e;
            log.error("Pipeline stream thread failed; shutting this instance down: {}", e.toString());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** The Kafka Streams properties this pipeline runs with: the config's plus the error handlers. */
    public static Properties streamsProperties(PipelineConfig config) {
        Properties props = config.streamsProperties();
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RejectingExceptionHandlers.Deserialization.class.getName());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                RejectingExceptionHandlers.Processing.class.getName());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Under exactly-once each commit ends a transaction, and the first write of the next one is answered
        // CONCURRENT_TRANSACTIONS until the broker has written the previous one's markers. With transactions
        // v2 (Kafka 4) that answer comes on the produce path, which waits the producer's retry backoff
        // (100 ms by default) before trying again: a stall of the stream thread at every commit. A short
        // first backoff (it still grows exponentially up to retry.backoff.max.ms) removes most of it.
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10");
        // The record cache of the stores is what keeps a commit from writing every intermediate value to the
        // changelogs; Streams' 10 MB default overflows under load (evictions then write through).
        props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L << 20));
        // Most of what the pipeline writes is its own: the changelogs of the ledger's journal and the pending
        // changes, and the change batches for stage 2. Compressed in large batches it is a fraction
        // of the bytes, and the broker's work per declaration (the pipeline and the broker share the machine's
        // cores in small deployments) is about half (docs/decisions.md).
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(256 << 10));
        props.put(RejectingExceptionHandlers.REJECTED_TOPIC_CONFIG, config.rejectedTopic());
        props.put(RejectingExceptionHandlers.INPUT_TOPICS_CONFIG, config.declarationsTopic() + "," + config.ratesTopic());
        // Tells every instance where this one's HTTP API is, so any instance can route an interactive
        // query to the instance holding the data. Must be set before KafkaStreams is created; a port of
        // 0 (any free port) cannot be advertised. An explicit streams.application.server wins.
        if (config.httpPort() > 0) {
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, config.httpAdvertisedHost() + ":" + config.httpPort());
        }
        return props;
    }

    /**
     * Runs an instance until the JVM is asked to stop (SIGINT/SIGTERM) or the instance fails.
     *
     * @return the process exit code: 0 after a clean stop, 1 after a failure
     */
    public static int runUntilStopped(PipelineConfig config) throws InterruptedException {
        // Before Kafka Streams creates its own clients: refused credentials end the start with one line of ours.
        checkKafkaLogin(config);
        PipelineRunner runner = new PipelineRunner(config);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("Stopping pipeline");
            runner.close();
            closed.countDown();
        }, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.start();
        boolean failed = runner.awaitStop();
        if (failed) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                closed.await();
            }
            runner.close();
            return 1;
        }
        return 0;
    }

    public void start() {
        checkKafkaLogin(config);
        if (config.createMissingTopics()) {
            createMissingTopics(config);
        }
        declarationPartitions = partitionsOf(config, config.declarationsTopic());
        log.info("Starting pipeline '{}' for {} (zone {}) against {}", config.streamsValue(StreamsConfig.APPLICATION_ID_CONFIG) == null
                ? "export-counter" : config.streamsValue(StreamsConfig.APPLICATION_ID_CONFIG),
                config.country(), config.zone(), config.streamsValue(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        streams.start();
    }

    /** Blocks until the instance stops; true if it stopped because of an error. */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return fatalError != null || streams.state() == KafkaStreams.State.ERROR;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return false;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PipelineStats stats() {
        return stats;
    }

    /** What keeps this instance's standby ledgers up to date (see WarmLedgers). */
    public WarmLedgers warmLedgers() {
        return warmLedgers;
    }

    public PipelineConfig config() {
        return config;
    }

    public Optional<Throwable> fatalError() {
        return Optional.ofNullable(fatalError);
    }

    /**
     * Stops the instance and leaves the group at once: its tasks go to the other instances now, not after the session
     * timeout, and an instance started again in its place (after a lost disk, say) joins without waiting for it.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        inputEnds.close();
        stopped.countDown();
    }

    /**
     * Fails fast, naming the key, when Kafka refuses this instance's credentials (SASL) or certificate (TLS): otherwise
     * that shows up later as stack traces of a stream thread. Any other answer, or none within 10 s (a cluster still
     * starting), lets the start go on.
     *
     * @throws PipelineConfigException naming {@code streams.sasl.jaas.config} or {@code streams.ssl.truststore.location}
     */
    public static void checkKafkaLogin(PipelineConfig config) {
        Map<String, Object> props = adminProperties(config);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "export-counter-login-check");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        String servers = String.valueOf(props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                String user = jaasUser(config.streamsValue(SaslConfigs.SASL_JAAS_CONFIG));
                throw new PipelineConfigException(PipelineConfig.STREAMS_PREFIX + SaslConfigs.SASL_JAAS_CONFIG,
                        "Kafka at " + servers + " refused the login" + (user == null ? "" : " of user '" + user + "'") + " ("
                                + config.streamsValue(SaslConfigs.SASL_MECHANISM) + "): wrong user name or password");
            }
            if (e.getCause() instanceof SslAuthenticationException) {
                throw new PipelineConfigException(PipelineConfig.STREAMS_PREFIX + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                        "the TLS handshake with Kafka at " + servers + " failed (is its certificate signed by a CA in this"
                                + " truststore, for the host name it is reached by?)");
            }
            log.debug("Kafka login check at start: {}", e.getCause().toString());
        } catch (TimeoutException e) {
            log.debug("Kafka at {} did not answer the login check within 10 s; starting anyway", servers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The user name in a JAAS line ({@code username="..."}), never the password; null if there is none. */
    static String jaasUser(String jaas) {
        if (jaas == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("username\\s*=\\s*\"([^\"]*)\"").matcher(jaas);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Partitions of a topic, or 0 when it cannot be described (missing, or no access): then stage 2 knows
     * a stage-1 task only from its first batch, and the start of a backlog may be counted a little out
     * of acceptance order.
     */
    static int partitionsOf(PipelineConfig config, String topic) {
        try (Admin admin = Admin.create(adminProperties(config))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not look up the partitions of {} ({}); stage 2 learns of stage-1 tasks as they report", topic,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The Kafka admin client settings among the config's {@code streams.*} ones (servers, TLS, SASL, ...). */
    public static Map<String, Object> adminProperties(PipelineConfig config) {
        return clientProperties(config, AdminClientConfig.configNames());
    }

    /** The Kafka consumer settings among the config's {@code streams.*} ones (servers, TLS, SASL, ...). */
    static Map<String, Object> consumerProperties(PipelineConfig config) {
        return clientProperties(config, ConsumerConfig.configNames());
    }

    /** The config's {@code streams.*} settings that a Kafka client with these setting names takes. */
    private static Map<String, Object> clientProperties(PipelineConfig config, Set<String> names) {
        Map<String, Object> props = new HashMap<>();
        config.streamsProperties().forEach((k, v) -> {
            if (names.contains(k.toString())) {
                props.put(k.toString(), v);
            }
        });
        return props;
    }

    /**
     * Creates the topics the pipeline reads and writes when they are missing, with the cleanup policies
     * the contract sets. Existing topics are left exactly as they are.
     */
    public static void createMissingTopics(PipelineConfig config) {
        Map<String, Object> adminProps = adminProperties(config);
        int partitions = config.topicPartitions();
        Optional<Short> rf = config.replicationFactor() < 0 ? Optional.empty() : Optional.of(config.replicationFactor());
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(config.declarationsTopic(), Optional.of(partitions), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
        wanted.add(new NewTopic(config.ratesTopic(), Optional.of(1), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        wanted.add(new NewTopic(config.ratesByWeekTopic(), Optional.of(1), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // One key, rewritten every second while stage 2 sets stage-1 tasks a quota: only its last value matters.
        wanted.add(new NewTopic(config.stageOnePaceTopic(), Optional.of(1), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        wanted.add(new NewTopic(config.totalsTopic(), Optional.of(partitions), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Milestones are the record of history: kept until an operator decides otherwise.
        wanted.add(new NewTopic(config.milestonesTopic(), Optional.of(1), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1")));
        // One record per forecast total and year: only the latest forecast matters.
        wanted.add(new NewTopic(config.forecastsTopic(), Optional.of(1), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        wanted.add(new NewTopic(config.rejectedTopic(), Optional.of(partitions), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
        MissingTopics.create(adminProps, wanted, Duration.ofSeconds(30));
    }
}
