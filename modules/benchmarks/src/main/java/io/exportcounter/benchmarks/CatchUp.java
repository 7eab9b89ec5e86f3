package io.exportcounter.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how fast a Kafka Streams application works through a topic that is already full: from its first
 * committed offset to the moment every input topic, internal repartition topics included, is committed to
 * its end. Progress is read from the broker (committed offsets), so the measured JVM runs unobserved.
 */
final class CatchUp {
    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * Records of {@code inputTopic} processed after the first commit, the time it took, and the CPU time the
     * measured JVMs and the broker's JVM used meanwhile (-1 when unknown): CPU per record is the figure that
     * other work on a shared machine disturbs least.
     */
    record Result(long records, Duration elapsed, long cpuNanos, long brokerCpuNanos) {
        Result(long records, Duration elapsed) {
            this(records, elapsed, -1, -1);
        }

        double perSecond() {
            return records / (elapsed.toNanos() / 1e9);
        }

        double cpuMicrosPerRecord() {
            return cpuNanos < 0 ? -1 : cpuNanos / 1e3 / records;
        }

        double brokerCpuMicrosPerRecord() {
            return brokerCpuNanos < 0 ? -1 : brokerCpuNanos / 1e3 / records;
        }
    }

    private CatchUp() {
    }

    private static long cpu(List<ChildJvm> jvms) {
        long sum = 0;
        for (ChildJvm j : jvms) {
            long c = j.cpuNanos();
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }

    /** This JVM's CPU time: the broker's, mostly, since the benchmark only polls offsets while it measures. */
    static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Told as the committed input passes each tenth of it (1 to 9), with the fraction then committed. */
    interface Tenths {
        void passed(int tenth, double fraction, long recordsSinceStart, Duration sinceStart);
    }

    /**
     * @param inputTopic the topic whose records are counted
     * @param allTopics  every topic the application must have committed to its end (input and repartition)
     * @param atHalf     called once with the fraction done when half of the input is committed (memory samples)
     * @param jvms       the measured JVMs; the wait fails early if one of them dies
     */
    static Result measure(Admin admin, String group, String inputTopic, List<String> allTopics, Duration timeout,
                          DoubleConsumer atHalf, List<ChildJvm> jvms) throws InterruptedException {
        return measure(admin, group, inputTopic, allTopics, timeout, (tenth, fraction, records, since) -> {
            if (tenth == 5) {
                atHalf.accept(fraction);
            }
        }, jvms);
    }

    /** As above, told at every tenth of the input. */
    static Result measure(Admin admin, String group, String inputTopic, List<String> allTopics, Duration timeout,
                          Tenths tenths, List<ChildJvm> jvms) throws InterruptedException {
        GroupProgress progress = new GroupProgress(admin, group, allTopics);
        long deadline = System.nanoTime() + timeout.toNanos();
        long startNanos = 0;
        long startCommitted = 0;
        long startCpu = 0;
        long startBrokerCpu = 0;
        int nextTenth = 1;
        long lastLog = System.nanoTime();
        while (System.nanoTime() < deadline) {
            jvms.forEach(ChildJvm::requireAlive);
            Map<String, GroupProgress.Snapshot> now = progress.snapshots();
            long sampled = System.nanoTime();
            GroupProgress.Snapshot input = now.get(inputTopic);
            if (startNanos == 0 && input.committed() > 0) {
                startNanos = sampled;
                startCommitted = input.committed();
                startCpu = cpu(jvms);
                startBrokerCpu = ownCpu();
            }
            if (startNanos != 0 && now.values().stream().allMatch(GroupProgress.Snapshot::caughtUp)) {
                long cpu = cpu(jvms);
                return new Result(input.end() - startCommitted, Duration.ofNanos(sampled - startNanos),
                        cpu < 0 || startCpu < 0 ? -1 : cpu - startCpu, ownCpu() - startBrokerCpu);
            }
            while (startNanos != 0 && nextTenth <= 9 && input.committed() * 10 >= input.end() * nextTenth) {
                tenths.passed(nextTenth++, (double) input.committed() / input.end(), input.committed() - startCommitted,
                        Duration.ofNanos(sampled - startNanos));
            }
            if (sampled - lastLog > 10_000_000_000L) {
                lastLog = sampled;
                log.info("{}: {} of {} records committed", group, input.committed(), input.end());
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException(group + " did not catch up within " + timeout);
    }
}
