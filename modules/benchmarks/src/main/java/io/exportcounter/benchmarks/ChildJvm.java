package io.exportcounter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A measured program in a JVM of its own (the pipeline, the baseline, the plain consumer), so that its
 * heap and resident memory are its own and not the broker's. Output goes to a log file next to the
 * report's work directory; memory is read from /proc and from the JDK's jcmd.
 */
final class ChildJvm implements AutoCloseable {
    /** USER_HZ of Linux, the unit of /proc/PID/stat times: 100 on every mainstream kernel build. */
    private static final long CLOCK_TICKS = 100;
    /** One line per heap space: G1's single one, or the parallel collector's young and old generations. */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new ChildJvm(name, p, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Fails with the end of the child's log when the child died, so a broken run does not hang the benchmark. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log ends with:\n" + tail(40));
        }
    }

    /** Resident set size now, in bytes (Linux /proc; -1 elsewhere). */
    long rssBytes() {
        return procStatus("VmRSS");
    }

    /** The highest resident set size so far, in bytes (Linux /proc; -1 elsewhere). */
    long peakRssBytes() {
        return procStatus("VmHWM");
    }

    /** CPU time the process has used so far (user + system), in nanoseconds (Linux /proc; -1 elsewhere). */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // Fields after the command name (which may hold spaces) in parentheses: utime is the 14th field.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Live heap: a full GC first (jcmd GC.run), then the heap in use (jcmd GC.heap_info); -1 when jcmd fails. */
    long liveHeapBytes() {
        try {
            jcmd("GC.run");
            Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
            long kib = -1;
            while (m.find()) {
                kib = Math.max(kib, 0) + Long.parseLong(m.group(1));
            }
            return kib < 0 ? -1 : kib * 1024;
        } catch (IOException e) {
            return -1;
        }
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not finish within " + timeout + "; its log ends with:\n" + tail(40));
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no LeaveGroup, no last commit, as a machine that dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, the way an operator stops an instance; SIGKILL if it does not go in 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String jcmd(String command) throws IOException {
        Process p = new ProcessBuilder(javaBinary("jcmd"), Long.toString(pid()), command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** A tool of the JDK running this benchmark (java, jcmd). */
    static String javaBinary(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
