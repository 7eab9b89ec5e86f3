package io.exportcounter.serving;

import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A pipeline instance with its HTTP API in a JVM of its own ({@code ServingInstanceMain CONFIG_FILE}),
 * wired as the launcher's {@code pipeline} command wires it (runner, then server, then start), so that a
 * test can SIGKILL it. The launcher itself lives in modules/app, which depends on this module.
 */
public final class ServingInstanceMain {
    private ServingInstanceMain() {
    }

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineConfig.load(Path.of(args[0]));
        PipelineRunner runner = new PipelineRunner(config);
        ServingServer server = ServingServer.start(runner);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            runner.close();
            closed.countDown();
        }, "instance-shutdown"));
        runner.start();
        if (runner.awaitStop()) {
            // A fatal error: exit non-zero, which the test notices as a dead survivor.
            System.exit(1);
        }
        closed.await();
    }
}
