package io.exportcounter.benchmarks;

import io.exportcounter.contract.Action;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExportDeclaration;
import io.exportcounter.contract.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The textbook baseline: one Kafka Streams DSL aggregation, {@code groupBy(country).aggregate(sum)}, over the
 * same topic, with the same codec, exactly-once and partitions as the pipeline, but none of its work (no
 * ledger of revisions, no rates, no dimensions, no milestones). DESIGN.md measured this shape at tens of
 * thousands of declarations/s; the pipeline must beat it while doing everything.
 *
 * <p>Usage: {@code OneSumBaselineMain STREAMS_PROPERTIES_FILE INPUT_TOPIC OUTPUT_TOPIC}
 */
public final class OneSumBaselineMain {
    private OneSumBaselineMain() {
    }

    /** The baseline topology: parse, drop invalid records and cancellations, re-key to one country, sum. */
    static Topology topology(String input, String output) {
        ContractJson json = ContractJson.instance();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMap((key, value) -> {
                    try {
                        ExportDeclaration d = json.parseDeclaration(value);
                        return d.action() == Action.CANCEL ? List.<KeyValue<String, Long>>of()
                                : List.of(KeyValue.pair("KR", d.fobAmount().longValue()));
                    } catch (InvalidRecordException e) {
                        return List.<KeyValue<String, Long>>of();
                    }
                })
                .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                .aggregate(() -> 0L, (country, amount, sum) -> sum + amount,
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("one-sum")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            props.load(in);
        }
        KafkaStreams streams = new KafkaStreams(topology(args[1], args[2]), props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
        stopped.await();
    }
}
