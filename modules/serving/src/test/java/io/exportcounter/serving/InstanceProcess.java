package io.exportcounter.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A pipeline instance with its HTTP API ({@link ServingInstanceMain}) in its own JVM, killable like the OS would. */
final class InstanceProcess implements AutoCloseable {
    final String name;
    final int httpPort;
    private final Process process;

    private InstanceProcess(String name, int httpPort, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.process = process;
    }

    static InstanceProcess start(String name, Path config, int httpPort, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.add(ServingInstanceMain.class.getName());
        cmd.add(config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new InstanceProcess(name, httpPort, p);
    }

    /** This instance as it advertises itself ({@code application.server}). */
    String advertised() {
        return "localhost:" + httpPort;
    }

    /** SIGKILL: no shutdown hook, no LeaveGroup, no last commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
