package io.exportcounter.serving;

import io.exportcounter.testsupport.JvmProcess;
import java.nio.file.Path;

/** A pipeline instance with its HTTP API ({@link ServingInstanceMain}) in its own JVM, killable like the OS would. */
final class InstanceProcess implements AutoCloseable {
    final String name;
    final int httpPort;
    private final JvmProcess process;

    private InstanceProcess(String name, int httpPort, JvmProcess process) {
        this.name = name;
        this.httpPort = httpPort;
        this.process = process;
    }

    static InstanceProcess start(String name, Path config, int httpPort, Path log) {
        return new InstanceProcess(name, httpPort,
                JvmProcess.of(ServingInstanceMain.class).args(config.toString()).logTo(log).start());
    }

    /** This instance as it advertises itself ({@code application.server}). */
    String advertised() {
        return "localhost:" + httpPort;
    }

    /** SIGKILL: no shutdown hook, no LeaveGroup, no last commit. */
    void kill() throws InterruptedException {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
