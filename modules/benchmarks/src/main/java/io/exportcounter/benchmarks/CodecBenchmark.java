package io.exportcounter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.simulator.DeclarationGenerator;
import io.exportcounter.simulator.SimEvent;
import io.exportcounter.simulator.SimulatorOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the contract codec parsing and validating one declaration, against the baseline of Jackson's
 * {@code readTree} of the same bytes (parsing only: no field rules, no decimals, no dates). Records cycle
 * through 1,024 simulated declarations so that branch prediction sees a realistic mix.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private static final int RECORDS = 1024;
    private final ContractJson contract = ContractJson.instance();
    private final ObjectMapper mapper = new ObjectMapper();
    private byte[][] records;
    private int next;

    @Setup
    public void setUp() {
        DeclarationGenerator generator = DeclarationGenerator.create(SimulatorOptions.builder()
                .declarations(SimulatorOptions.MIN_DECLARATIONS * 2).malformedShare(0).seed(1).progress(false).build());
        List<byte[]> out = new ArrayList<>();
        while (generator.hasNext() && out.size() < RECORDS) {
            SimEvent e = generator.next();
            if (e.kind() == SimEvent.Kind.ACCEPT || e.kind() == SimEvent.Kind.AMEND) {
                out.add(e.value());
            }
        }
        records = out.toArray(byte[][]::new);
    }

    private byte[] nextRecord() {
        byte[] r = records[next];
        next = (next + 1) & (RECORDS - 1);
        return r;
    }

    @Benchmark
    public ExportDeclaration contractParseAndValidate() throws InvalidRecordException {
        return contract.parseDeclaration(nextRecord());
    }

    @Benchmark
    public JsonNode baselineJacksonReadTree() throws IOException {
        return mapper.readTree(nextRecord());
    }
}
