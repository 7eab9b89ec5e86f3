package io.exportcounter.app;

import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.serving.ServingServer;
import io.exportcounter.serving.ServingTls;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export-counter pipeline}: one pipeline instance against an existing cluster, until Ctrl-C. */
@Command(
        name = "pipeline",
        description = {
                "Run one Export Counter pipeline instance, with its HTTP API and dashboard, against an existing Kafka cluster, until Ctrl-C.",
                "",
                "Keys starting with 'streams.' in FILE go to Kafka Streams; the others are the pipeline's own "
                        + "(documented in config/pipeline.properties). Instances with the same "
                        + "streams.application.id share the work."
        },
        footer = {"", "Example:", "  export-counter pipeline --config config/pipeline.properties --bootstrap-server localhost:9092"})
final class PipelineCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineCommand.class);

    @Mixin
    private CommandContext context;

    @Mixin
    private ConfigFileOption configFile;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Overrides streams.bootstrap.servers of the file.")
    private String bootstrapServer;

    @Option(names = "--http-port", paramLabel = "N", description = "Overrides http.port of the file.")
    private Integer httpPort;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = config();
        // Before the HTTP side starts its own Kafka clients: refused credentials end the start with one line.
        PipelineRunner.checkKafkaLogin(config);
        Termination termination = context.termination();
        PrintWriter out = context.out();
        try (PipelineRunner runner = new PipelineRunner(config);
                ServingServer server = ServingServer.start(runner)) {
            runner.start();
            // A pipeline that stops by itself (a fatal error) ends the command as Ctrl-C would.
            termination.requestWhenStopped(runner::awaitStop, "pipeline-watcher");
            out.printf("Pipeline '%s' running against %s. Dashboard and API: %s://%s/ . Press Ctrl-C to stop.%n",
                    config.streamsProperties().getProperty("application.id"),
                    config.streamsProperties().getProperty("bootstrap.servers"), server.scheme(), server.instance());
            out.flush();
            termination.await();
            if (runner.fatalError().isPresent()) {
                LOG.error("Pipeline stopped after a failure: {}", runner.fatalError().get().toString());
                return ExportCounterCli.FAILURE;
            }
            LOG.info("Stopping the pipeline");
        }
        return 0;
    }

    private PipelineConfig config() {
        return configFile.load(PipelineConfigException.class, file -> {
            PipelineConfig config = PipelineConfig.load(file);
            if (bootstrapServer != null) {
                config = config.with(PipelineConfig.STREAMS_PREFIX + "bootstrap.servers", bootstrapServer);
            }
            if (httpPort != null) {
                config = config.with("http.port", Integer.toString(httpPort));
            }
            config.streamsProperties();
            // The HTTPS keystore is opened now, so that a wrong password is a bad configuration like any other.
            ServingTls.from(config);
            return config;
        });
    }
}
