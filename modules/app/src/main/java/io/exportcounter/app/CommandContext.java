package io.exportcounter.app;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What a command uses of the launcher: its output, its stop signal ({@link Termination}) and its usage errors.
 * A picocli mixin with no options of its own: a command declares {@code @Mixin private CommandContext context;}
 * (picocli takes a class as a mixin only if it is annotated, hence the bare {@code @Command}).
 */
@Command
final class CommandContext {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** The stop signal of a long-running command (see {@link ExportCounterCli#termination()}). */
    Termination termination() {
        return ((ExportCounterCli) command.parent().userObject()).termination();
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** A usage error of this command (exit code 2, the message then the command's usage). */
    ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
