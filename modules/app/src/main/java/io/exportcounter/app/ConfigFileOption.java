package io.exportcounter.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --config FILE} option of a service command (pipeline, notifier) and the loading of FILE:
 * a picocli mixin, {@code @Mixin private ConfigFileOption config;}. picocli fills in {@code ${COMMAND-NAME}}
 * with the name of the command, e.g. "The pipeline's properties file, e.g. config/pipeline.properties."
 */
final class ConfigFileOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "The ${COMMAND-NAME}'s properties file, e.g. config/${COMMAND-NAME}.properties.")
    private Path file;

    /**
     * Loads FILE with {@code load}: a usage error if FILE cannot be read, or if {@code load} rejects it
     * with an exception of type {@code invalid}.
     */
    <C> C load(Class<? extends RuntimeException> invalid, Function<Path, C> load) {
        if (!Files.isReadable(file)) {
            throw new ParameterException(command.commandLine(), "Invalid value for option '--config': cannot read " + file);
        }
        try {
            return load.apply(file);
        } catch (RuntimeException e) {
            if (invalid.isInstance(e)) {
                throw new ParameterException(command.commandLine(), "Bad configuration in " + file + ": " + e.getMessage());
            }
            throw e;
        }
    }
}
