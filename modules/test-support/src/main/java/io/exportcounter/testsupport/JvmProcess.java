package io.exportcounter.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the project in a JVM of its own, on the test's classpath and Logback set-up: what
 * the fault and launcher tests kill with SIGKILL, stop with SIGTERM and read the output of, as an
 * operating system and an operator would.
 */
public final class JvmProcess implements AutoCloseable {
    private final Process process;

    private JvmProcess(Process process) {
        this.process = process;
    }

    /** A JVM that will run {@code mainClass}. */
    public static Builder of(Class<?> mainClass) {
        return new Builder(mainClass);
    }

    /** The process, for its streams and exit code. */
    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no LeaveGroup, no last commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * SIGSTOP: the JVM freezes where it is, threads, timers and sockets included, as a long GC pause or a
     * suspended virtual machine would; the group's session runs out while it sleeps. {@link #resume()} wakes it.
     */
    public void pause() {
        if (!signal("STOP")) {
            throw new IllegalStateException("kill -STOP " + process.pid() + " failed: the JVM has ended");
        }
    }

    /** SIGCONT: a paused JVM goes on from where it froze, unaware of the time it lost. */
    public void resume() {
        if (!signal("CONT")) {
            throw new IllegalStateException("kill -CONT " + process.pid() + " failed: the JVM has ended");
        }
    }

    /** Whether {@code kill -NAME pid} succeeded (it fails once the process has ended). */
    private boolean signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + name + " to " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name, e);
        }
    }

    /** SIGTERM (the streams stay open), then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            // A paused JVM cannot act on SIGTERM until it runs again.
            signal("CONT");
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Everything left on a stream of the process, as UTF-8; a read error as text, for a test's message. */
    public static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    public static final class Builder {
        private final Class<?> mainClass;
        // Small and quick to start: these JVMs run beside the test's own on a small machine.
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path directory;
        private Path log;
        private NetworkNamespace namespace;

        private Builder(Class<?> mainClass) {
            this.mainClass = mainClass;
        }

        /** A JVM option; a later {@code -Dname=} wins over an earlier one (the Logback configuration's too). */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /** Standard output and error appended to {@code file}; without it they are pipes to read. */
        public Builder logTo(Path file) {
            this.log = file;
            return this;
        }

        /**
         * Runs the JVM inside {@code ns} ({@code ip netns exec <name> java ...}), where it reaches this machine only at
         * {@link NetworkNamespace#hostAddress()}. {@code ip} execs java in its own process, so {@link #pid()},
         * {@link #kill()}, {@link #pause()} and {@link #resume()} reach the JVM itself.
         */
        public Builder networkNamespace(NetworkNamespace ns) {
            this.namespace = ns;
            return this;
        }

        public JvmProcess start() {
            List<String> cmd = new ArrayList<>();
            if (namespace != null) {
                cmd.addAll(namespace.execPrefix());
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String logback = System.getProperty("logback.configurationFile");
            if (logback != null) {
                cmd.add("-Dlogback.configurationFile=" + logback);
            }
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            cmd.add(mainClass.getName());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            try {
                if (directory != null) {
                    pb.directory(Files.createDirectories(directory).toFile());
                }
                if (log != null) {
                    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                }
                return new JvmProcess(pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a JVM for " + mainClass.getName(), e);
            }
        }
    }
}
