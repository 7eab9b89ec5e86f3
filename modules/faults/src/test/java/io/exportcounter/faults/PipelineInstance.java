package io.exportcounter.faults;

import io.exportcounter.app.ExportCounterCli;
import io.exportcounter.testsupport.JvmProcess;
import io.exportcounter.testsupport.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One pipeline instance as an operator runs it, {@code export-counter pipeline --config FILE} with its HTTP API,
 * in a JVM of its own that the scenario SIGKILLs, SIGSTOPs and SIGCONTs as the operating system would, and
 * starts again on the same configuration (and, unless it was deleted, the same state directory).
 */
final class PipelineInstance implements AutoCloseable {
    final String name;
    /** The address this instance's API is reached at: localhost, or its end of the veth pair in a namespace. */
    final String host;
    final int httpPort;
    final Path config;
    final Path stateDir;
    private final Path logDir;
    private final NetworkNamespace namespace;
    private JvmProcess process;
    private int starts;

    /** {@code namespace}: the network namespace to run in (its veth pair joins it to the brokers), or null. */
    PipelineInstance(String name, int httpPort, Path config, Path stateDir, Path logDir, NetworkNamespace namespace) {
        this.name = name;
        this.namespace = namespace;
        this.host = namespace == null ? "localhost" : namespace.namespaceAddress();
        this.httpPort = httpPort;
        this.config = config;
        this.stateDir = stateDir;
        this.logDir = logDir;
    }

    synchronized PipelineInstance start() {
        starts++;
        JvmProcess.Builder jvm = JvmProcess.of(ExportCounterCli.class).args("pipeline", "--config", config.toString())
                .logTo(log());
        if (namespace != null) {
            jvm.networkNamespace(namespace);
        }
        process = jvm.start();
        return this;
    }

    /** The log of the current (or last) run: {@code <name>-<run>.log}. */
    synchronized Path log() {
        return logDir.resolve(name + "-" + starts + ".log");
    }

    /** How the instance is known in the API's {@code X-Export-Counter-Served-By} header ({@code application.server}). */
    String advertised() {
        return host + ":" + httpPort;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no LeaveGroup, no last commit. */
    synchronized void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGSTOP: frozen with its open transaction and its group membership, as a zombie is. */
    synchronized void pause() {
        process.pause();
    }

    synchronized void resume() {
        process.resume();
    }

    /** The whole state directory gone, as with a lost volume; only while the instance is down. */
    synchronized void deleteState() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running; its state directory is in use");
        }
        if (Files.exists(stateDir)) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    @Override
    public String toString() {
        return name + " (" + advertised() + ")";
    }
}
