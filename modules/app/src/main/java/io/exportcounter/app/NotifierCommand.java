package io.exportcounter.app;

import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.notifier.NotifierConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export-counter notifier}: press notices and alert deliveries from the milestones topic, until Ctrl-C. */
@Command(
        name = "notifier",
        description = {
                "Deliver press notices (English and Korean) and alerts for every milestone, once per channel, until Ctrl-C.",
                "",
                "Reads export.milestones with read_committed; channels (webhook as CloudEvents or plain JSON, e-mail, "
                        + "Alertmanager, file outbox) are enabled in FILE (documented in config/notifier.properties). "
                        + "Prometheus metrics on metrics.port."
        },
        footer = {"", "Example:", "  export-counter notifier --config config/notifier.properties --bootstrap-server localhost:9092"})
final class NotifierCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierCommand.class);

    @Mixin
    private CommandContext context;

    @Mixin
    private ConfigFileOption configFile;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Overrides kafka.bootstrap.servers of the file.")
    private String bootstrapServer;

    @Override
    public Integer call() throws Exception {
        NotifierConfig config = configFile.load(NotifierConfigException.class, file -> {
            NotifierConfig loaded = NotifierConfig.load(file);
            return bootstrapServer == null ? loaded : loaded.with("kafka.bootstrap.servers", bootstrapServer);
        });
        Termination termination = context.termination();
        PrintWriter out = context.out();
        try (Notifier notifier = new Notifier(config)) {
            notifier.start();
            termination.requestWhenStopped(notifier::awaitStop, "notifier-watcher");
            out.println("Notifier running. Press Ctrl-C to stop.");
            out.flush();
            termination.await();
            if (notifier.failure().isPresent()) {
                LOG.error("Notifier stopped after a failure: {}", notifier.failure().get().toString());
                return ExportCounterCli.FAILURE;
            }
            LOG.info("Stopping the notifier");
        }
        return 0;
    }
}
