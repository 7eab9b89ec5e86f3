package io.exportcounter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, for the report: they mean little without it. */
record Machine(String cpu, int cores, long memoryBytes, String os, String jvm, String loadBefore) {

    static Machine describe() {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), memory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), load());
    }

    static String load() {
        return firstLine(Path.of("/proc/loadavg"), "unknown");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    private static String firstLine(Path file, String otherwise) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? otherwise : lines.get(0);
        } catch (IOException e) {
            return otherwise;
        }
    }
}
