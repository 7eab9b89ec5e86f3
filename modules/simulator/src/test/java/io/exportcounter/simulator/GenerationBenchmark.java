package io.exportcounter.simulator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How fast the generator makes events without Kafka: {@code java -cp ... GenerationBenchmark [rounds]
 * [declarations]}. Reports wall time and the generating thread's CPU time (the honest figure on a shared
 * machine). Not a test.
 */
public final class GenerationBenchmark {
    private GenerationBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int declarations = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            SimulatorOptions options = SimulatorOptions.builder().declarations(declarations).seed(round).build();
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long events = 0;
            long bytes = 0;
            DeclarationGenerator generator = DeclarationGenerator.create(options);
            while (generator.hasNext()) {
                bytes += generator.next().value().length;
                events++;
            }
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("round %d: %,d events (%,d MB) in %.2f s wall, %.2f s CPU: %,.0f events per CPU second%n",
                    round, events, bytes >> 20, wallSeconds, cpuSeconds, events / cpuSeconds);
        }
    }
}
