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

    /** SIGTERM (the streams stay open), then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
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

        public JvmProcess start() {
            List<String> cmd = new ArrayList<>();
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
