package io.exportcounter.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The launcher in a JVM of its own, as a user runs it: real signals, exit codes and logging set-up. */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process launch(Path work, String... args) throws IOException {
        return launch(work, List.of(), Map.of(), args);
    }

    /**
     * @param jvmOptions extra options before the main class ({@code -Dlog.level=DEBUG}, ...)
     * @param env extra environment variables
     */
    static Process launch(Path work, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // Less JIT work: these short-lived JVMs start faster on a small, busy machine.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(jvmOptions);
        command.add(ExportCounterCli.class.getName());
        command.addAll(List.of(args));
        Files.createDirectories(work);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        return builder.start();
    }

    static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}
