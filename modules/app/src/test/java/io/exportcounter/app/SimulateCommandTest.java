package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.testsupport.KafkaBackend;
import io.exportcounter.testsupport.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class SimulateCommandTest {

    private static int run(StringWriter err, String... args) {
        return new ExportCounterCli(Termination.manual()).execute(new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), args);
    }

    @Test
    void speed_and_rate_together_are_a_usage_error() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "simulate", "--speed", "1000", "--rate", "50")).isEqualTo(2);
        assertThat(err.toString()).contains("--speed").contains("--rate");
    }

    @Test
    void a_bad_option_value_is_named() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "simulate", "--declarations", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("declarations");
    }

    @Test
    void a_small_year_lands_on_the_declarations_and_rates_topics() {
        try (TestKafka broker = KafkaBackend.start()) {
            StringWriter err = new StringWriter();
            int code = run(err, "simulate", "--year", "2024", "--declarations", "2000", "--no-progress",
                    "--bootstrap-server", broker.bootstrapServers());
            assertThat(code).as(err.toString()).isZero();
            long yearOfDeclarations = count(broker, "customs.export-declarations");
            long yearOfRates = count(broker, "customs.exchange-rates");
            assertThat(yearOfDeclarations).isGreaterThanOrEqualTo(2000);
            // One rate a currency a week, for every week of the year.
            assertThat(count(broker, "customs.exchange-rates")).isGreaterThanOrEqualTo(52 * 4);
            // Without the bar, the run still ends with its one summary line (and nothing else: no \r).
            assertThat(err.toString()).startsWith("Simulated 2024: 2,000 declarations (").doesNotContain("\r")
                    .endsWith(System.lineSeparator()).hasLineCount(1);

            // With the bar: one bar (two drawn over each other would end with two summaries), then the one summary line.
            StringWriter withBar = new StringWriter();
            assertThat(run(withBar, "simulate", "--year", "2024", "--declarations", "2000",
                    "--bootstrap-server", broker.bootstrapServers())).as(withBar.toString()).isZero();
            List<String> drawn = List.of(withBar.toString().split("[\r\n]+"));
            assertThat(drawn).last().asString().startsWith("Simulated 2024: 2,000 declarations (");
            assertThat(drawn).filteredOn(l -> l.startsWith("[")).isNotEmpty();
            assertThat(drawn).filteredOn(l -> l.startsWith("Simulated ")).hasSize(1);

            // And a run --until the first of July sends the first half of the year only (2,000 declarations in all)
            long before = count(broker, "customs.export-declarations");
            StringWriter half = new StringWriter();
            assertThat(run(half, "simulate", "--year", "2024", "--declarations", "2000", "--no-progress",
                    "--until", "2024-07-01T00:00:00+09:00", "--bootstrap-server", broker.bootstrapServers()))
                    .as(half.toString()).isZero();
            long firstHalf = count(broker, "customs.export-declarations") - before;
            assertThat(firstHalf).isBetween(700L, 1300L);

            // And a run --from the first of July sends the rest: the two together are the year's records, and every
            // weekly rate goes out again, so that the second half needs no earlier run for its rates
            long declarationsBefore = count(broker, "customs.export-declarations");
            long ratesBefore = count(broker, "customs.exchange-rates");
            StringWriter rest = new StringWriter();
            assertThat(run(rest, "simulate", "--year", "2024", "--declarations", "2000", "--no-progress",
                    "--from", "2024-07-01T00:00:00+09:00", "--bootstrap-server", broker.bootstrapServers()))
                    .as(rest.toString()).isZero();
            assertThat(count(broker, "customs.export-declarations") - declarationsBefore).isEqualTo(yearOfDeclarations - firstHalf);
            assertThat(count(broker, "customs.exchange-rates") - ratesBefore).isEqualTo(yearOfRates);
        }
    }

    @Test
    void a_from_that_is_not_before_until_is_named() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "simulate", "--from", "2025-07-01T00:00:00+09:00", "--until", "2025-07-01T00:00:00+09:00")).isEqualTo(2);
        assertThat(err.toString()).contains("from").contains("until");
    }

    @Test
    void a_bad_until_is_named() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "simulate", "--until", "July")).isEqualTo(2);
        assertThat(err.toString()).contains("--until");
    }

    private static long count(TestKafka broker, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "count-" + UUID.randomUUID()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
