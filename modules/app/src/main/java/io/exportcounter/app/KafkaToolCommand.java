package io.exportcounter.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export-counter kafka <tool> [args]}: Kafka's own command-line tools (the ones behind
 * {@code kafka-topics.sh}, {@code kafka-console-consumer.sh}, ...), shipped in the application, so
 * no Kafka download is needed. Everything after the tool name goes to the tool unchanged.
 */
@Command(
        name = KafkaToolCommand.NAME,
        description = {"Run a Kafka command-line tool: topics, console-producer, console-consumer, ...",
                "",
                "The tools of kafka-<TOOL>.sh, without a Kafka download. Everything after TOOL goes to the tool: "
                        + "'export-counter kafka TOOL --help' shows its options.",
                "",
                "'acls' is Export Counter's own: the exact ACLs of the pipeline's, an alerting client's or the notifier's "
                        + "principal, printed or applied ('export-counter kafka acls --help')."},
        footer = {"", "Examples:",
                "  export-counter kafka topics --bootstrap-server localhost:9092 --list",
                "  export-counter kafka console-producer --bootstrap-server localhost:9092 --topic t \\",
                "      --reader-property parse.key=true --reader-property key.separator=:",
                "  export-counter kafka console-consumer --bootstrap-server localhost:9092 --topic t \\",
                "      --from-beginning --isolation-level read_committed --formatter-property print.key=true",
                "  export-counter kafka acls --role pipeline --principal User:export-counter --config config/pipeline.properties"})
final class KafkaToolCommand implements Callable<Integer> {

    static final String NAME = "kafka";
    /** Export Counter's own tool among Kafka's: the ACLs of a role (AclsCommand). */
    static final String ACLS = "acls";

    /** Tool name (as in kafka-NAME.sh) to main class. */
    static final Map<String, String> TOOLS = tools();

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOOL", completionCandidates = ToolNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    private String tool;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The tool's own arguments.")
    private List<String> args = new ArrayList<>();

    /** Everything after TOOL is the tool's, options included. */
    static void configure(CommandLine kafka) {
        kafka.setStopAtPositional(true);
        kafka.setUnmatchedOptionsArePositionalParams(true);
    }

    @Override
    public Integer call() throws Exception {
        if (ACLS.equals(tool)) {
            CommandLine acls = new CommandLine(new AclsCommand());
            acls.setCommandName(NAME + " " + ACLS);
            acls.setOut(spec.commandLine().getOut());
            acls.setErr(spec.commandLine().getErr());
            acls.setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler());
            acls.setParameterExceptionHandler(spec.commandLine().getParameterExceptionHandler());
            return acls.execute(args.toArray(new String[0]));
        }
        String mainClass = TOOLS.get(tool);
        if (mainClass == null) {
            throw new ParameterException(spec.commandLine(), "Unknown Kafka tool '" + tool + "'. Tools: " + ACLS + ", "
                    + String.join(", ", TOOLS.keySet()));
        }
        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        spec.commandLine().getOut().flush();
        try {
            // Most tools end with System.exit(code) themselves (through Kafka's Exit class).
            main.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        }
        return 0;
    }

    private static Map<String, String> tools() {
        Map<String, String> tools = new LinkedHashMap<>();
        String p = "org.apache.kafka.tools.";
        tools.put("topics", p + "TopicCommand");
        tools.put("console-producer", p + "ConsoleProducer");
        tools.put("console-consumer", p + "consumer.ConsoleConsumer");
        tools.put("consumer-groups", p + "consumer.group.ConsumerGroupCommand");
        tools.put("streams-groups", p + "streams.StreamsGroupCommand");
        tools.put("groups", p + "GroupsCommand");
        tools.put("transactions", p + "TransactionsCommand");
        tools.put("get-offsets", p + "GetOffsetShell");
        tools.put("configs", p + "ConfigCommand");
        tools.put("delete-records", p + "DeleteRecordsCommand");
        tools.put("log-dirs", p + "LogDirsCommand");
        tools.put("metadata-quorum", p + "MetadataQuorumCommand");
        tools.put("cluster", p + "ClusterTool");
        tools.put("features", p + "FeatureCommand");
        tools.put("broker-api-versions", p + "BrokerApiVersionsCommand");
        tools.put("producer-perf-test", p + "ProducerPerformance");
        tools.put("consumer-perf-test", p + "ConsumerPerformance");
        tools.put("dump-log", p + "DumpLogSegments");
        return Collections.unmodifiableMap(tools);
    }

    static final class ToolNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            names.add(ACLS);
            names.addAll(TOOLS.keySet());
            return names.iterator();
        }
    }
}
