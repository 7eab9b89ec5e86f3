package io.exportcounter.pipeline.kafkainternals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class HalfCreatedStoresTest {

    @Test
    void a_task_with_a_store_left_without_its_current_file_is_removed_and_healthy_tasks_are_kept(@TempDir Path app)
            throws Exception {
        // Given task 2_3 with a store whose CURRENT file is missing, which RocksDB refuses to open
        Path broken = app.resolve("2_3/rocksdb/pending-changes");
        createStore(broken);
        Files.delete(broken.resolve("CURRENT"));
        // (tried on a copy: a failed open writes a new CURRENT, and the store still does not open)
        Path copy = app.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(broken)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        assertThatThrownBy(() -> open(copy).close()).isInstanceOf(RocksDBException.class)
                .hasMessageContaining("wal_dir contains existing log file");
        // and task 2_4 with a healthy store, and task 1_0 with no RocksDB store at all
        Path healthy = app.resolve("2_4/rocksdb/declaration-ledger");
        createStore(healthy);
        Files.createDirectories(app.resolve("1_0"));
        Files.writeString(app.resolve("1_0/.checkpoint"), "0\n");

        // When the pipeline starts
        var removed = HalfCreatedStores.removeFrom(app);

        // Then only the broken task's directory is gone
        assertThat(removed).containsExactly(app.resolve("2_3"));
        assertThat(app.resolve("copy")).exists();
        assertThat(app.resolve("2_3")).doesNotExist();
        assertThat(app.resolve("1_0/.checkpoint")).exists();
        // And the healthy store still opens with its data
        try (RocksDB db = open(healthy)) {
            assertThat(db.get("k".getBytes())).isEqualTo("v".getBytes());
        }
    }

    @Test
    void a_missing_state_directory_is_nothing_to_repair(@TempDir Path dir) {
        assertThat(HalfCreatedStores.removeFrom(dir.resolve("never-started"))).isEmpty();
    }

    private static void createStore(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (RocksDB db = open(dir)) {
            db.put("k".getBytes(), "v".getBytes());
        }
    }

    private static RocksDB open(Path dir) throws RocksDBException {
        try (Options o = new Options().setCreateIfMissing(true)) {
            return RocksDB.open(o, dir.toString());
        }
    }
}
