package io.exportcounter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux network namespace joined to this machine by a veth pair, for a process that a test cuts off from the network
 * and lets back on: a network partition.
 *
 * <pre>{@code
 * try (NetworkNamespace ns = NetworkNamespace.create("ec-part", 7)) {   // 10.77.7.1 here, 10.77.7.2 in there
 *     KafkaCluster.builder().host(ns.hostAddress())...                  // brokers reachable from the namespace
 *     JvmProcess.of(Main.class).networkNamespace(ns).start();            // a JVM inside it
 *     ns.cut();                                                          // every packet across the pair dropped
 *     ns.heal();
 * }
 * }</pre>
 *
 * <p>The host side of the pair, {@code <name>-h}, has {@code 10.77.<subnet>.1/24}; the namespace side, {@code <name>-n},
 * has {@code 10.77.<subnet>.2/24}, and the namespace's loopback is up. The namespace has no other interface and no route
 * beyond that subnet: a process in it reaches this machine only at {@link #hostAddress()} (not at 127.0.0.1), so the
 * services it uses must listen there; this machine's own processes reach them at that address too.
 *
 * <p>{@link #cut()} drops every packet both ways without telling either side: each end's neighbour entry for the other
 * (permanent, so no ARP is ever asked) is pointed at a MAC address that no interface has, and the receiving side
 * discards every frame that is not addressed to it. The senders' stacks see their packets leave; connections hang,
 * connects and requests time out, nothing is refused or reset, as behind a dead switch. (Not {@code tc netem}: many
 * kernels are built without it; nor a link set down: the side whose link is down loses its route to the other at
 * once, so what it sends fails with "network unreachable" instead of getting lost.) {@link #heal()} points the entries back;
 * TCP retransmits, and established connections carry on where their back-off lets them.
 *
 * <p>Needs root, {@code ip} (iproute2) and a kernel that allows network namespaces; {@link #available()} says whether
 * this machine does, for a JUnit assumption. {@link #create} first removes what a crashed earlier run may have left
 * under the same name (its processes inside killed, the namespace and the pair deleted); a lock file in the temporary
 * directory keeps two live JVMs from using the same name at once (the second waits). {@link #close()} removes
 * everything, killing any process still inside.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespace.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,11}");
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final long LOCK_WAIT_MS = TimeUnit.MINUTES.toMillis(3);
    private static final long COMMAND_TIMEOUT_S = 20;

    private final String name;
    private final int subnet;
    private final String ip;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean cut;
    private boolean closed;

    private NetworkNamespace(String name, int subnet, String ip, FileChannel lockChannel, FileLock lock) {
        this.name = name;
        this.subnet = subnet;
        this.ip = ip;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the namespace {@code name} (1 to 12 of {@code a-z 0-9 -}) and its veth pair on {@code 10.77.<subnet>.0/24}.
     *
     * @throws IllegalStateException when a command fails (naming it and what it printed), or when the subnet's host
     *                               address is on another interface already
     */
    public static NetworkNamespace create(String name, int subnet) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("namespace name must be 1 to 12 of a-z, 0-9 and '-', starting with a letter"
                    + " or digit: '" + name + "'");
        }
        if (subnet < 0 || subnet > 255) {
            throw new IllegalArgumentException("subnet must be between 0 and 255: " + subnet);
        }
        String ip = ipCommand().orElseThrow(() -> new IllegalStateException("no 'ip' command (iproute2) on this machine"));
        FileChannel channel = null;
        FileLock lock;
        try {
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "export-counter-netns-" + name + ".lock");
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = acquire(channel, name, lockFile);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the network namespace name " + name, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        NetworkNamespace ns = new NetworkNamespace(name, subnet, ip, channel, lock);
        try {
            ns.setUp();
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The host-side address of the pair for {@code subnet}, {@code 10.77.<subnet>.1}: known before the namespace exists. */
    public static String hostAddress(int subnet) {
        return "10.77." + subnet + ".1";
    }

    /** This machine's end of the pair, {@code 10.77.<subnet>.1}: where a process in the namespace reaches this machine. */
    public String hostAddress() {
        return hostAddress(subnet);
    }

    /** The namespace's end of the pair, {@code 10.77.<subnet>.2}. */
    public String namespaceAddress() {
        return "10.77." + subnet + ".2";
    }

    public String name() {
        return name;
    }

    /** The host side of the veth pair, {@code <name>-h}. */
    public String hostInterface() {
        return name + "-h";
    }

    /** The namespace side of the veth pair, {@code <name>-n}. */
    public String namespaceInterface() {
        return name + "-n";
    }

    /**
     * What runs a command inside the namespace: {@code ip netns exec <name>}, followed by the command. {@code ip} execs the
     * command in its own process (it forks only in batch mode), so the process a {@link ProcessBuilder} starts this way is
     * the command itself: its pid, signals and exit code are the command's.
     */
    public List<String> execPrefix() {
        return List.of(ip, "netns", "exec", name);
    }

    /** Whether the process {@code pid} runs in this namespace (its {@code /proc/<pid>/ns/net} is this namespace). */
    public boolean contains(long pid) {
        try {
            Object inode = Files.getAttribute(NETNS_DIR.resolve(name), "unix:ino");
            String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
            return link.equals("net:[" + inode + "]");
        } catch (IOException e) {
            return false;
        }
    }

    /** The ids of the processes running in the namespace now. */
    public List<Long> processes() {
        return pids(ip, name);
    }

    /** Drops every packet between the namespace and this machine, both ways, silently, until {@link #heal()}. */
    public synchronized void cut() {
        requireOpen("cut");
        pointNeighbours(mac(0), mac(0));
        cut = true;
        LOG.info("Network namespace {} cut off: every packet between {} and {} is dropped", name, namespaceAddress(), hostAddress());
    }

    /** Lets packets through again after {@link #cut()}. */
    public synchronized void heal() {
        requireOpen("heal");
        pointNeighbours(mac(1), mac(2));
        cut = false;
        LOG.info("Network namespace {} healed: {} and {} reach each other again", name, namespaceAddress(), hostAddress());
    }

    public synchronized boolean isCut() {
        return cut;
    }

    /** Kills any process left inside, deletes the namespace and the veth pair, and releases the name. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            removeLeftovers(ip, name, "");
            LOG.info("Network namespace {} removed", name);
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("Could not release the lock of network namespace {}: {}", name, e.toString());
            }
            closeQuietly(lockChannel);
        }
    }

    @Override
    public String toString() {
        return "network namespace " + name + " (" + namespaceAddress() + " <-> " + hostAddress() + " on " + hostInterface() + ")";
    }

    // ------------------------------------------------------------------------------------------
    // Set-up
    // ------------------------------------------------------------------------------------------

    private void setUp() {
        removeLeftovers(ip, name, " left by an earlier run");
        String addressOwner = run(ip, "-o", "-4", "addr", "show", "to", hostAddress() + "/32").trim();
        if (!addressOwner.isEmpty()) {
            throw new IllegalStateException(hostAddress() + " is on another interface of this machine already (" + addressOwner
                    + "): choose another subnet than " + subnet);
        }
        run(ip, "netns", "add", name);
        run(ip, "link", "add", hostInterface(), "address", mac(1), "type", "veth",
                "peer", "name", namespaceInterface(), "address", mac(2), "netns", name);
        run(ip, "addr", "add", hostAddress() + "/24", "dev", hostInterface());
        run(ip, "link", "set", hostInterface(), "up");
        run(ip, "-n", name, "addr", "add", namespaceAddress() + "/24", "dev", namespaceInterface());
        run(ip, "-n", name, "link", "set", namespaceInterface(), "up");
        run(ip, "-n", name, "link", "set", "lo", "up");
        // Permanent entries: no ARP ever, so a cut stays silent (a failed ARP would answer "no route to host").
        pointNeighbours(mac(1), mac(2));
        LOG.info("Network namespace {} created: {} inside, {} on this machine ({})", name, namespaceAddress(), hostAddress(),
                hostInterface());
    }

    /** The namespace's entry for this machine's address, and this machine's entry for the namespace's, to these MACs. */
    private void pointNeighbours(String hostSideMac, String namespaceSideMac) {
        run(ip, "-n", name, "neigh", "replace", hostAddress(), "lladdr", hostSideMac, "dev", namespaceInterface(), "nud", "permanent");
        run(ip, "neigh", "replace", namespaceAddress(), "lladdr", namespaceSideMac, "dev", hostInterface(), "nud", "permanent");
    }

    /** A locally administered MAC of this subnet: 1 the host side, 2 the namespace side, 0 no interface. */
    private String mac(int end) {
        return String.format(Locale.ROOT, "02:77:00:%02x:00:%02x", subnet, end);
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new IllegalStateException("cannot " + action + " " + name + ": the namespace is closed");
        }
    }

    /** Kills the processes in namespace {@code name}, deletes it and the host side of its pair, whichever exist. */
    private static void removeLeftovers(String ip, String name, String why) {
        boolean found = false;
        if (Files.exists(NETNS_DIR.resolve(name))) {
            found = true;
            for (long pid : pids(ip, name)) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    LOG.info("Killing process {} ({}) in network namespace {}{}", pid, p.info().command().orElse("?"), name, why);
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
                });
            }
            run(ip, "netns", "delete", name);
        }
        // With no process left inside, deleting the namespace destroyed the pair; a pair whose namespace was deleted by
        // hand while a process still held it may remain.
        // The kernel tears a deleted namespace's pair down in the background: the pair may still show here and be gone
        // by the time it is deleted, which is no failure.
        if (exitCode(ip, "link", "show", "dev", name + "-h") == 0) {
            found = true;
            StringBuilder output = new StringBuilder();
            if (execute(output, ip, "link", "delete", name + "-h") != 0
                    && exitCode(ip, "link", "show", "dev", name + "-h") == 0) {
                throw new IllegalStateException("'" + ip + " link delete " + name + "-h' failed: " + output.toString().trim());
            }
        }
        if (found && !why.isEmpty()) {
            LOG.info("Removed network namespace {}{}", name, why);
        }
    }

    private static List<Long> pids(String ip, String name) {
        List<Long> pids = new ArrayList<>();
        for (String pid : run(ip, "netns", "pids", name).split("\\s+")) {
            if (!pid.isBlank()) {
                pids.add(Long.parseLong(pid));
            }
        }
        return pids;
    }

    private static FileLock acquire(FileChannel channel, String name, Path lockFile) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MS;
        boolean told = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("network namespace " + name + " is open already in this JVM");
            }
            if (lock != null) {
                return lock;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("network namespace " + name + " is still in use by another JVM after "
                        + TimeUnit.MILLISECONDS.toSeconds(LOCK_WAIT_MS) + " s (it holds " + lockFile + ")");
            }
            if (!told) {
                LOG.info("Network namespace {} is in use by another JVM ({}); waiting for it", name, lockFile);
                told = true;
            }
            sleep(500);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Whether this machine allows it
    // ------------------------------------------------------------------------------------------

    /** Whether this machine allows network namespaces: Linux, root, {@code ip}, and a probe namespace with a veth pair. */
    public static boolean available() {
        return Probe.UNAVAILABLE_BECAUSE.isEmpty();
    }

    /** Why {@link #available()} is false, for a test's assumption; empty when it is true. */
    public static String unavailableReason() {
        return Probe.UNAVAILABLE_BECAUSE;
    }

    /** Probed once per JVM, on first use. */
    private static final class Probe {
        static final String UNAVAILABLE_BECAUSE = probe();

        private static String probe() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return "network namespaces are Linux only (this is " + System.getProperty("os.name") + ")";
            }
            if (!isRoot()) {
                return "creating network namespaces needs root";
            }
            Optional<String> ip = ipCommand();
            if (ip.isEmpty()) {
                return "no 'ip' command (iproute2)";
            }
            String name = "ecp" + ProcessHandle.current().pid();
            try {
                run(ip.get(), "netns", "add", name);
                try {
                    run(ip.get(), "link", "add", name + "h", "type", "veth", "peer", "name", name + "n", "netns", name);
                    run(ip.get(), "link", "delete", name + "h");
                } finally {
                    run(ip.get(), "netns", "delete", name);
                }
                return "";
            } catch (RuntimeException e) {
                return "this machine does not allow a network namespace with a veth pair: " + e.getMessage();
            }
        }

        private static boolean isRoot() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Uid:")) {
                        String[] ids = line.substring(4).trim().split("\\s+");
                        return ids.length > 1 && ids[1].equals("0");
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Commands
    // ------------------------------------------------------------------------------------------

    private static Optional<String> ipCommand() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "ip"));
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            candidates.add(Path.of(dir, "ip"));
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString);
    }

    /** Runs a command and returns its output; throws, naming the command and its output, unless it exits with 0. */
    private static String run(String... cmd) {
        StringBuilder output = new StringBuilder();
        int rc = execute(output, cmd);
        if (rc != 0) {
            throw new IllegalStateException("'" + String.join(" ", cmd) + "' failed (exit code " + rc + "): "
                    + output.toString().trim());
        }
        return output.toString();
    }

    private static int exitCode(String... cmd) {
        return execute(new StringBuilder(), cmd);
    }

    private static int execute(StringBuilder output, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // What ip prints here fits in the pipe: it cannot block on its output before it exits.
            if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                output.append("(no exit within ").append(COMMAND_TIMEOUT_S).append(" s)");
                return -1;
            }
            output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + String.join(" ", cmd) + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + String.join(" ", cmd) + "'", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }
}
