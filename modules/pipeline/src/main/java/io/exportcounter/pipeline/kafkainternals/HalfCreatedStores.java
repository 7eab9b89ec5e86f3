package io.exportcounter.pipeline.kafkainternals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the local state of tasks with a RocksDB store whose creation was cut short, before Kafka
 * Streams starts.
 *
 * <p>A process killed while it creates a store can leave a write-ahead log file but no {@code CURRENT}
 * file. RocksDB then refuses to open the store ("While creating a new Db, wal_dir contains existing log
 * file"). Kafka Streams 4.4 opens existing stores on its start thread and fails the start, so
 * every restart would fail the same way. Under exactly-once the local state
 * is only a copy of the changelogs: without the task directory, Kafka Streams restores the task from
 * them. The check runs before Kafka Streams first tries the store: a failed open writes a new
 * {@code CURRENT} file (and the store still does not open), so the sign is only there before.
 */
public final class HalfCreatedStores {
    private static final Logger log = LoggerFactory.getLogger(HalfCreatedStores.class);

    private HalfCreatedStores() {
    }

    /**
     * @param appStateDir the state directory of one application id ({@code state.dir/application.id})
     * @return the task directories removed
     */
    public static List<Path> removeFrom(Path appStateDir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(appStateDir)) {
            return removed;
        }
        try (Stream<Path> tasks = Files.list(appStateDir)) {
            for (Path task : tasks.filter(Files::isDirectory).toList()) {
                Path broken = firstHalfCreatedStore(StreamsStoreLayout.rocksDbDir(task));
                if (broken != null) {
                    log.warn("Removing the local state of task {}: store {} was left half-created (no CURRENT file) by a "
                            + "process that stopped while creating it; the task is restored from its changelogs",
                            task.getFileName(), broken.getFileName());
                    deleteTree(task);
                    removed.add(task);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect local state in " + appStateDir, e);
        }
        return removed;
    }

    private static Path firstHalfCreatedStore(Path rocksdbDir) throws IOException {
        if (!Files.isDirectory(rocksdbDir)) {
            return null;
        }
        try (Stream<Path> stores = Files.list(rocksdbDir)) {
            for (Path store : stores.filter(Files::isDirectory).toList()) {
                if (!Files.exists(store.resolve("CURRENT")) && hasRocksDbFiles(store)) {
                    return store;
                }
            }
        }
        return null;
    }

    private static boolean hasRocksDbFiles(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.map(f -> f.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".log") || n.startsWith("MANIFEST-") || n.startsWith("OPTIONS-"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
