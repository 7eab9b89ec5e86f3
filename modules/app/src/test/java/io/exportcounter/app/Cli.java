package io.exportcounter.app;

import io.exportcounter.testsupport.JvmProcess;
import java.nio.file.Path;

/** The launcher as a user runs it: in a JVM of its own, started in {@code work}. */
final class Cli {
    private Cli() {
    }

    static JvmProcess.Builder inOwnJvm(Path work) {
        // Less JIT work: these short-lived JVMs start faster on a small, busy machine.
        return JvmProcess.of(ExportCounterCli.class).jvmOption("-XX:TieredStopAtLevel=1").directory(work);
    }
}
