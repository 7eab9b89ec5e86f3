package io.exportcounter.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * The demo's terminal shows the progress bar, the press notices and real problems only. While open:
 * <ul>
 *   <li>the project's own INFO lines (topics created, state changes, deliveries) are not printed: the demo
 *       prints what matters on standard output. {@code -Dlog.level} or {@code LOG_LEVEL} keeps them;</li>
 *   <li>the WARN lines that Kafka's clients print in every demo run about conditions they handle themselves
 *       ({@link #BENIGN}) are dropped. {@code -Dlog.level.kafka} or {@code LOG_LEVEL_KAFKA} keeps them.</li>
 * </ul>
 * Every other WARN and every ERROR still prints, Kafka's included. Closing restores the logging as it was.
 */
final class DemoLogging implements AutoCloseable {

    /** A WARN line of a Kafka client that is no problem in the demo: its logger and fragments of its message. */
    record Benign(String logger, List<String> fragments) {
        boolean matches(String loggerName, String message) {
            return logger.equals(loggerName) && message != null && fragments.stream().allMatch(message::contains);
        }
    }

    static final List<Benign> BENIGN = List.of(
            // Under exactly-once each commit ends a transaction; the first write of the next one is answered
            // CONCURRENT_TRANSACTIONS until the broker has written the previous one's markers, and the producer
            // retries it (transactions v2). A write that really fails ends in an ERROR from Kafka Streams.
            // Other retried errors (a leader change, a timeout) still print.
            new Benign("org.apache.kafka.clients.producer.internals.Sender",
                    List.of("Got error produce response", "retrying", "Error: CONCURRENT_TRANSACTIONS")),
            // The demo keeps its data in a temporary directory by design (--data-dir to choose one).
            new Benign("org.apache.kafka.streams.processor.internals.StateDirectory",
                    List.of("Using an OS temp directory in the state.dir")),
            // The pipeline enables the handler for the global thread (PipelineRunner.streamsProperties); a config
            // that Kafka Streams builds internally without the pipeline's properties still says so.
            new Benign("org.apache.kafka.streams.StreamsConfig",
                    List.of("Processing exception handler is not enabled for the GlobalThread")));

    private final LoggerContext context;
    private final TurboFilter filter;
    private final Logger appLogger;
    private final Level appLevelBefore;

    private DemoLogging(LoggerContext context, TurboFilter filter, Logger appLogger, Level appLevelBefore) {
        this.context = context;
        this.filter = filter;
        this.appLogger = appLogger;
        this.appLevelBefore = appLevelBefore;
    }

    /** Quiets the terminal as described above, until closed; does nothing if Logback is not the backend. */
    static DemoLogging quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new DemoLogging(null, null, null, null);
        }
        TurboFilter filter = null;
        if (!chosen("log.level.kafka", "LOG_LEVEL_KAFKA")) {
            filter = new BenignKafkaWarnings();
            filter.setName("demo-benign-kafka-warnings");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        Logger appLogger = null;
        Level before = null;
        if (!chosen("log.level", "LOG_LEVEL")) {
            appLogger = context.getLogger("io.exportcounter");
            before = appLogger.getLevel();
            if (appLogger.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
                appLogger = null; // already quiet
            } else {
                appLogger.setLevel(Level.WARN);
            }
        }
        return new DemoLogging(context, filter, appLogger, before);
    }

    /** Whether the user picked a level with the system property or the environment variable. */
    private static boolean chosen(String property, String variable) {
        return System.getProperty(property) != null || System.getenv(variable) != null;
    }

    /** True if {@code message}, logged at WARN by {@code loggerName}, is one of {@link #BENIGN}. */
    static boolean benign(String loggerName, String message) {
        return BENIGN.stream().anyMatch(b -> b.matches(loggerName, message));
    }

    @Override
    public void close() {
        if (filter != null) {
            context.getTurboFilterList().remove(filter);
            filter.stop();
        }
        if (appLogger != null) {
            appLogger.setLevel(appLevelBefore);
        }
    }

    /** Denies the WARN events of {@link #BENIGN}; neutral on everything else. */
    static final class BenignKafkaWarnings extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            if (level != Level.WARN || logger == null || format == null || !logger.getName().startsWith("org.apache.kafka.")) {
                return FilterReply.NEUTRAL;
            }
            // Kafka's clients log through LogContext, which formats the message itself (params null).
            String message = params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
            return benign(logger.getName(), message) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
