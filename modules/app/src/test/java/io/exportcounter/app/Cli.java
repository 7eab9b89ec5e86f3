package io.exportcounter.app;

import io.exportcounter.testsupport.JvmProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** The launcher as the tests run it: in this JVM ({@link #run}) or, as a user runs it, in a JVM of its own. */
final class Cli {
    private Cli() {
    }

    /** Output of one run in this JVM. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs the launcher in this JVM; its long-running commands stop when {@code termination} is requested. */
    static Run run(Termination termination, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new ExportCounterCli(termination).execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static JvmProcess.Builder inOwnJvm(Path work) {
        // Less JIT work: these short-lived JVMs start faster on a small, busy machine.
        return JvmProcess.of(ExportCounterCli.class).jvmOption("-XX:TieredStopAtLevel=1").directory(work);
    }

    /** A local port that was free a moment ago, e.g. for {@code --http-port}. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
