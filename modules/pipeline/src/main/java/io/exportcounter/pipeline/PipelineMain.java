package io.exportcounter.pipeline;

import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline instance from a config file: {@code PipelineMain FILE}. The launcher's
 * {@code pipeline} command is the user-facing way in; this plain entry point is what the crash tests
 * start in a separate JVM and kill.
 */
public final class PipelineMain {
    private static final Logger log = LoggerFactory.getLogger(PipelineMain.class);

    private PipelineMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: PipelineMain CONFIG_FILE");
            System.exit(2);
        }
        try {
            System.exit(PipelineRunner.runUntilStopped(PipelineConfig.load(Path.of(args[0]))));
        } catch (PipelineConfigException e) {
            log.error("Bad configuration: {}", e.getMessage());
            System.exit(2);
        }
    }
}
