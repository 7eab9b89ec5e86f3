package io.exportcounter.app;

import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code export-counter kafka acls}: prints, and with {@code --apply} creates, exactly the ACLs one Export Counter
 * principal needs (see {@link KafkaAcls}).
 */
@Command(
        name = "acls",
        mixinStandardHelpOptions = true,
        description = {"Print (and with --apply create) the Kafka ACLs of one Export Counter principal: exactly what its role needs.",
                "",
                "Topic names, the application id and the consumer group come from --config (the pipeline's or the notifier's "
                        + "properties file; $${env:NAME} values need not be set), else from the defaults."},
        footer = {"", "Examples:",
                "  export-counter kafka acls --role pipeline --principal User:export-counter --config config/pipeline.properties",
                "  export-counter kafka acls --role alerting --principal User:alerting --group alerting",
                "  export-counter kafka acls --role notifier --principal User:notifier --config config/notifier.properties \\",
                "      --apply --bootstrap-server kafka-1:9093 --command-config admin.properties"})
final class AclsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--principal", required = true, paramLabel = "TYPE:NAME", description = "e.g. User:export-counter.")
    private String principal;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "pipeline, alerting or notifier.")
    private String role;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The pipeline's (role pipeline) or the notifier's (role notifier) properties file.")
    private Path config;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "export-counter-alerting",
            description = "Role alerting: the consumer group it reads in. Default: ${DEFAULT-VALUE}.")
    private String group;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "export.milestones",
            description = "Role alerting: the milestones topic. Default: ${DEFAULT-VALUE}.")
    private String milestonesTopic;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, or kafka-acls (the same grants as kafka-acls.sh commands). Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--apply", description = "Create the ACLs on the cluster (as an administrator: see --command-config).")
    private boolean apply;

    @Option(names = {"--bootstrap-server", "--bootstrap-servers"}, paramLabel = "HOST:PORT", description = "With --apply: the cluster.")
    private String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "With --apply: the administrator's client settings (security.protocol, sasl.*, ssl.*).")
    private Path commandConfig;

    @Override
    public Integer call() throws Exception {
        List<AclBinding> bindings = bindings();
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "table" -> KafkaAcls.describe(bindings).forEach(out::println);
            case "kafka-acls" -> KafkaAcls.asKafkaAclsCommands(bindings).forEach(out::println);
            default -> throw usage("Invalid value for option '--format': '" + format + "' is not table or kafka-acls");
        }
        out.flush();
        if (apply) {
            if (bootstrapServers == null) {
                throw usage("--apply needs --bootstrap-server");
            }
            Properties admin = commandConfig == null ? new Properties() : read(commandConfig);
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            try (Admin client = Admin.create(admin)) {
                client.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot create the ACLs on " + bootstrapServers + ": " + e.getCause().getMessage(), e);
            }
            out.printf("Applied %d ACLs for %s (role %s) on %s%n", bindings.size(), principal, role, bootstrapServers);
        }
        return 0;
    }

    private List<AclBinding> bindings() {
        // Only names are needed here: secrets the file takes from the environment stay unresolved.
        Function<String, String> env = name -> "unused";
        try {
            return switch (role.toLowerCase(Locale.ROOT)) {
                case "pipeline" -> KafkaAcls.pipeline(principal,
                        config == null ? PipelineConfig.defaults() : PipelineConfig.fromProperties(read(config), env));
                case "notifier" -> KafkaAcls.notifier(principal,
                        config == null ? NotifierConfig.defaults() : NotifierConfig.fromProperties(read(config), env));
                case "alerting" -> KafkaAcls.alerting(principal, milestonesTopic, group);
                default -> throw usage("Invalid value for option '--role': '" + role + "' is not pipeline, alerting or notifier");
            };
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Properties read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
