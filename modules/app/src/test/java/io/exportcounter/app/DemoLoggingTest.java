package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo keeps off its terminal (known-benign WARN lines of Kafka's clients, the project's INFO lines) and
 * what it still prints (every other WARN, every ERROR), through the project's Logback configuration.
 */
class DemoLoggingTest {

    private static final String PREFIX = "[Producer clientId=export-counter-demo-1-StreamThread-1-producer, "
            + "transactionalId=export-counter-demo-1-1] ";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> printed = new ListAppender<>();
    private final Logger sender = LoggerFactory.getLogger("org.apache.kafka.clients.producer.internals.Sender");
    private final Logger stateDirectory = LoggerFactory.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory");
    private final Logger app = LoggerFactory.getLogger(DemoCommand.class);

    @BeforeEach
    void listen() {
        printed.setContext(context);
        printed.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(printed);
    }

    @AfterEach
    void stopListening() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(printed);
    }

    /** As Kafka's clients log (LogContext formats the message and adds the client's prefix). */
    private void concurrentTransactions() {
        sender.warn(PREFIX + "Got error produce response with correlation id 67 on topic-partition "
                + "export-counter-demo-pending-changes-changelog-1, retrying (2147483646 attempts left). Error: CONCURRENT_TRANSACTIONS");
    }

    private List<String> messages() {
        return printed.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void the_demo_drops_the_known_benign_kafka_warnings_and_its_own_info_lines_only() {
        try (DemoLogging quiet = DemoLogging.quiet()) {
            concurrentTransactions();
            sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
                    68, "customs.export-declarations-0", 2147483646, "CONCURRENT_TRANSACTIONS");
            stateDirectory.warn("Using an OS temp directory in the state.dir property can cause failures with writing the "
                    + "checkpoint file due to the fact that this directory can be cleared by the OS. Resolved state.dir: [/tmp/x]");
            app.info("Stopping the demo");
            assertThat(messages()).isEmpty();

            // Real problems still print: another retried error, Kafka's errors, the project's warnings and errors.
            sender.warn(PREFIX + "Got error produce response with correlation id 69 on topic-partition export.totals-0, "
                    + "retrying (2147483645 attempts left). Error: NOT_LEADER_OR_FOLLOWER");
            sender.error(PREFIX + "Uncaught error in kafka producer I/O thread: CONCURRENT_TRANSACTIONS retrying");
            app.warn("The pipeline is still behind the replay; going on");
            app.error("The replay stopped: boom");
            assertThat(messages()).containsExactly(
                    "WARN " + PREFIX + "Got error produce response with correlation id 69 on topic-partition export.totals-0, "
                            + "retrying (2147483645 attempts left). Error: NOT_LEADER_OR_FOLLOWER",
                    "ERROR " + PREFIX + "Uncaught error in kafka producer I/O thread: CONCURRENT_TRANSACTIONS retrying",
                    "WARN The pipeline is still behind the replay; going on",
                    "ERROR The replay stopped: boom");
        }
    }

    @Test
    void closing_restores_the_logging_as_it_was() {
        DemoLogging.quiet().close();
        concurrentTransactions();
        app.info("Stopping the demo");
        assertThat(messages()).hasSize(2);
        assertThat(context.getTurboFilterList()).noneMatch(f -> f instanceof DemoLogging.BenignKafkaWarnings);
    }
}
