package io.exportcounter.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts pipeline instances the way an operator does: {@code export-counter pipeline --config FILE}, one JVM
 * each, with a properties file written from config/pipeline.properties' keys. Each benchmark run gets its own
 * application id and output topics, so runs never see each other's state.
 */
final class PipelineInstances {
    /** The heap every pipeline JVM gets: the issue's target, so a run that needs more fails instead of passing. */
    static final String HEAP = "-Xmx1g";
    /** The collector bin/export-counter runs the pipeline with; every measured program gets it, for a fair ratio. */
    static final String GC = "-XX:+UseParallelGC";

    private final String bootstrap;
    private final Path workDir;
    private final Map<String, String> overrides;
    private final List<String> jvmOptions;
    /** The HTTP port each instance ({@code run-index}) was last started with. */
    private final Map<String, Integer> httpPorts = new ConcurrentHashMap<>();

    PipelineInstances(String bootstrap, Path workDir, Map<String, String> overrides, List<String> jvmOptions) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.overrides = overrides;
        this.jvmOptions = jvmOptions;
    }

    /** The pipeline config of a run named {@code run} reading {@code declarations} and {@code rates}. */
    Map<String, String> config(String run, String declarations, String rates) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("streams.bootstrap.servers", bootstrap);
        c.put("streams.application.id", "bench-" + run);
        c.put("streams.processing.guarantee", "exactly_once_v2");
        c.put("topics.declarations", declarations);
        c.put("topics.rates", rates);
        c.put("topics.totals", "bench-" + run + ".totals");
        c.put("topics.milestones", "bench-" + run + ".milestones");
        c.put("topics.rejected", "bench-" + run + ".rejected");
        c.put("topics.rates-by-week", "bench-" + run + ".rates-by-week");
        c.put("http.advertised-host", "localhost");
        c.putAll(overrides);
        return c;
    }

    /** Starts instance number {@code index} of a run with its own state directory and HTTP port. */
    ChildJvm start(String run, int index, Map<String, String> config) {
        Map<String, String> own = new LinkedHashMap<>(config);
        own.put("streams.state.dir", workDir.resolve(run + "-" + index + "/state").toString());
        int port = freePort();
        httpPorts.put(run + "-" + index, port);
        own.put("http.port", Integer.toString(port));
        Path file = workDir.resolve(run + "-" + index + "/pipeline.properties");
        write(file, own);
        List<String> jvm = new ArrayList<>(List.of(HEAP, GC));
        jvm.addAll(jvmOptions);
        return ChildJvm.start("pipeline " + run + "#" + index, jvm, "io.exportcounter.app.ExportCounterCli",
                List.of("pipeline", "--config", file.toString()), workDir.resolve(run + "-" + index + "/pipeline.log"));
    }

    /** The HTTP port instance {@code index} of {@code run} was last started with. */
    int httpPort(String run, int index) {
        Integer port = httpPorts.get(run + "-" + index);
        if (port == null) {
            throw new IllegalStateException("instance " + index + " of " + run + " was never started");
        }
        return port;
    }

    Path stateDir(String run, int index) {
        return workDir.resolve(run + "-" + index + "/state");
    }

    static void write(Path file, Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "written by the benchmarks");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
