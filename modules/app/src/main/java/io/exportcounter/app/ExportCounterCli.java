package io.exportcounter.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The launcher behind {@code bin/export-counter}: {@code export-counter <command> [options]}.
 *
 * <p>To add a command: write one class annotated with picocli's {@code @Command(name = ...)} that
 * implements {@code Callable<Integer>} (see {@link BrokerCommand}), and list it in
 * {@code subcommands} below. A long-running command waits for Ctrl-C with
 * {@code context.termination().await()} through a {@code @Mixin CommandContext context} field,
 * then closes what it started and returns 0 (see {@link Termination}); if its start-up time matters,
 * add its name to the class-data-sharing list in {@code bin/export-counter} too.
 *
 * <p>Exit codes: 0 success, 1 failure while running, 2 usage error (unknown command, bad option).
 */
@Command(
        name = "export-counter",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ExportCounterCli.Version.class,
        usageHelpAutoWidth = true,
        description = "Export Counter: real-time export totals and milestones on Kafka Streams.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'export-counter <command> --help' for a command's options."},
        subcommands = {
                // The one place where commands are registered.
                BrokerCommand.class,
                PipelineCommand.class,
                NotifierCommand.class,
                SimulateCommand.class,
                DemoCommand.class,
                KafkaToolCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class ExportCounterCli {

    /** Exit code of a usage error (unknown command, bad or missing option). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Exit code of a failure while running a command. */
    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;

    private static final Logger LOG = LoggerFactory.getLogger(ExportCounterCli.class);

    private final Supplier<Termination> terminationFactory;
    private Termination termination;

    /** A CLI whose long-running commands stop on SIGINT/SIGTERM (what {@link #main} uses). */
    public ExportCounterCli() {
        this(Termination::onSignals);
    }

    /** A CLI whose long-running commands stop when the given termination is requested (tests, embedding). */
    public ExportCounterCli(Termination termination) {
        this(() -> termination);
    }

    private ExportCounterCli(Supplier<Termination> terminationFactory) {
        this.terminationFactory = terminationFactory;
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ExportCounterCli cli = new ExportCounterCli();
        int exitCode = cli.commandLine().execute(args);
        if (cli.finished()) {
            confirmClassDataArchive();
        }
        System.exit(exitCode);
    }

    /**
     * bin/export-counter may ask the JVM to write a class-data-sharing archive at exit (-XX:ArchiveClassesAtExit),
     * to start faster next time. After a long-running command really ran, this marks the archive as worth
     * keeping (a {@code .ok} file next to it) and says why the exit takes a few seconds this once.
     */
    private static void confirmClassDataArchive() {
        String prefix = "-XX:ArchiveClassesAtExit=";
        try {
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(arg -> arg.startsWith(prefix))
                    .map(arg -> java.nio.file.Path.of(arg.substring(prefix.length()) + ".ok"))
                    .findFirst()
                    .ifPresent(ok -> {
                        try {
                            java.nio.file.Files.write(ok, new byte[0]);
                            System.err.println("export-counter: saving class data for a faster start next time (once after each build)...");
                        } catch (IOException e) {
                            LOG.debug("Cannot write {}", ok, e);
                        }
                    });
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Cannot tell whether a class-data archive is written at exit", e);
        }
    }

    /**
     * The stop signal of long-running commands, created (and, for the CLI, signal handlers
     * installed) on first use, so short commands keep the JVM's default signal handling.
     */
    public synchronized Termination termination() {
        if (termination == null) {
            termination = terminationFactory.get();
        }
        return termination;
    }

    /** Tells a long-running command's termination that the command returned; true if there was one. */
    private synchronized boolean finished() {
        if (termination != null) {
            termination.finished();
            return true;
        }
        return false;
    }

    /** A configured picocli command line for this CLI. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setParameterExceptionHandler(ExportCounterCli::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandName() + ": " + message(e)));
            LOG.debug("{} failed", cmd.getCommandName(), e);
            return FAILURE;
        });
        KafkaToolCommand.configure(cl.getSubcommands().get(KafkaToolCommand.NAME));
        return cl;
    }

    /** Runs a command line with the given output streams and returns its exit code. */
    public int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Usage errors: the message, suggestions if any, then the usage of the command; exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(e.getMessage()));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        cmd.usage(err, cmd.getColorScheme());
        return cmd.getExitCodeExceptionMapper() != null ? cmd.getExitCodeExceptionMapper().getExitCode(e) : USAGE;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    /** {@code --version}: this build, Kafka and Java. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Optional.ofNullable(ExportCounterCli.class.getPackage().getImplementationVersion()).orElse("(development build)");
            return new String[] {
                    "export-counter " + version,
                    "Kafka " + kafkaVersion() + ", Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            };
        }

        /** The version of the Kafka client library, from the resource it ships for that purpose. */
        static String kafkaVersion() {
            Properties props = new Properties();
            try (InputStream in = ExportCounterCli.class.getResourceAsStream("/kafka/kafka-version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            } catch (IOException e) {
                // unknown
            }
            return props.getProperty("version", "unknown");
        }
    }
}
