package io.exportcounter.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A sustained request load on the API from Debian's {@code wrk} (a separate process, so the load costs the
 * serving JVM only its answers): a few connections, each sending the next of {@link #PATHS} after a short pause,
 * which caps the rate at about {@code connections × 1000 / pauseMs} requests a second. A Lua script counts the
 * answers by status and prints them with the latency percentiles when wrk ends.
 */
final class ServingRequestLoad {
    static final Path WRK = Path.of("/usr/bin/wrk");
    /** What an operations center's pages and scripts ask while the year is being counted. */
    static final List<String> PATHS = List.of(
            "/api/v1/totals/2025",
            "/api/v1/totals/2025/CATEGORY",
            "/api/v1/totals/2025-01",
            "/api/v1/totals/2025/REGION?throughMonth=6",
            "/api/v1/milestones?period=2025",
            "/api/v1/status");

    private static final String SCRIPT = """
            local paths = {%s}
            local threads = {}
            function setup(thread)
              table.insert(threads, thread)
            end
            function init(args)
              statuses = {}
              next_path = 0
            end
            function request()
              next_path = next_path %% #paths + 1
              return wrk.format("GET", paths[next_path])
            end
            function delay()
              return %d
            end
            function response(status, headers, body)
              statuses[status] = (statuses[status] or 0) + 1
            end
            function done(summary, latency, requests)
              for _, thread in ipairs(threads) do
                for status, n in pairs(thread:get("statuses")) do
                  io.write(string.format("status %%d %%d\\n", status, n))
                end
              end
              io.write(string.format("requests %%d\\n", summary.requests))
              io.write(string.format("duration_us %%d\\n", summary.duration))
              io.write(string.format("p50_us %%d\\n", latency:percentile(50)))
              io.write(string.format("p99_us %%d\\n", latency:percentile(99)))
              io.write(string.format("max_us %%d\\n", latency.max))
              local e = summary.errors
              io.write(string.format("socket_errors %%d\\n", e.connect + e.read + e.write + e.timeout))
            end
            """;

    /** What wrk measured. */
    record Result(long requests, Duration duration, Map<Integer, Long> byStatus, long p50Micros, long p99Micros,
            long maxMicros, long socketErrors, String output) {

        double perSecond() {
            return requests * 1e9 / Math.max(1, duration.toNanos());
        }

        /** Answers that are neither 2xx nor the documented 503 (the totals not available on any instance right now). */
        long unexpected() {
            return byStatus.entrySet().stream().filter(e -> e.getKey() / 100 != 2 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long withStatus(int status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    private final Process process;
    private final Path output;

    private ServingRequestLoad(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static boolean available() {
        return Files.isExecutable(WRK);
    }

    /** Starts wrk against {@code baseUrl} ({@code http://127.0.0.1:port}) for {@code duration}. */
    static ServingRequestLoad start(String baseUrl, Duration duration, int connections, int pauseMs, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path script = workDir.resolve("serving-load.lua");
            String paths = PATHS.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
            Files.writeString(script, SCRIPT.formatted(paths, pauseMs), StandardCharsets.UTF_8);
            Path output = workDir.resolve("wrk.out");
            Process process = new ProcessBuilder(WRK.toString(), "-t2", "-c" + connections,
                    "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "10s", "-s", script.toString(), baseUrl)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new ServingRequestLoad(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + WRK, e);
        }
    }

    /** Waits for wrk to end and reads its figures. */
    Result await(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("wrk did not end within " + timeout);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("wrk failed (exit " + process.exitValue() + "): " + out);
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        Map<String, Long> figures = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] words = line.strip().split(" ");
            if (words.length == 3 && words[0].equals("status")) {
                byStatus.merge(Integer.parseInt(words[1]), Long.parseLong(words[2]), Long::sum);
            } else if (words.length == 2 && words[1].matches("\\d+")) {
                figures.put(words[0], Long.parseLong(words[1]));
            }
        }
        for (String name : List.of("requests", "duration_us", "p50_us", "p99_us", "max_us", "socket_errors")) {
            if (!figures.containsKey(name)) {
                throw new AssertionError("wrk's output lacks " + name + ": " + out);
            }
        }
        return new Result(figures.get("requests"), Duration.ofNanos(figures.get("duration_us") * 1_000), byStatus,
                figures.get("p50_us"), figures.get("p99_us"), figures.get("max_us"), figures.get("socket_errors"), out);
    }

    /** Asks wrk to stop now, as Ctrl-C does: it ends its connections and prints its figures. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("cannot interrupt wrk (pid " + process.pid() + ")");
        }
    }
}
