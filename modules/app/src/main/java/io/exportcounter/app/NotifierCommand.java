package io.exportcounter.app;

import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.notifier.NotifierConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code export-counter notifier}: press notices and alert deliveries from the milestones topic, until Ctrl-C. */
@Command(
        name = "notifier",
        description = {
                "Deliver press notices (English and Korean) and alerts for every milestone, once per channel, until Ctrl-C.",
                "",
                "Reads export.milestones with read_committed; channels (webhook, e-mail, file outbox) are enabled in FILE "
                        + "(documented in config/notifier.properties)."
        },
        footer = {"", "Example:", "  export-counter notifier --config config/notifier.properties --bootstrap-server localhost:9092"})
final class NotifierCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierCommand.class);

    @ParentCommand
    private ExportCounterCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "The notifier's properties file, e.g. config/notifier.properties.")
    private Path configFile;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Overrides kafka.bootstrap.servers of the file.")
    private String bootstrapServer;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(configFile)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--config': cannot read " + configFile);
        }
        NotifierConfig config;
        try {
            config = NotifierConfig.load(configFile);
            if (bootstrapServer != null) {
                config = config.with("kafka.bootstrap.servers", bootstrapServer);
            }
        } catch (NotifierConfigException e) {
            throw new ParameterException(spec.commandLine(), "Bad configuration in " + configFile + ": " + e.getMessage());
        }
        Termination termination = cli.termination();
        PrintWriter out = spec.commandLine().getOut();
        try (Notifier notifier = new Notifier(config)) {
            notifier.start();
            Thread watcher = new Thread(() -> {
                try {
                    notifier.awaitStop();
                    termination.request();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "notifier-watcher");
            watcher.setDaemon(true);
            watcher.start();
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
