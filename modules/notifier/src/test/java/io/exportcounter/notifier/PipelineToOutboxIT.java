package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.schema.RecordSchema;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.testsupport.ContractSchemas;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the embedded broker: declarations into the real pipeline (a $1,000 national threshold),
 * the milestone out of it, and the notifier's outbox line in both languages; and a forecast of the pipeline that
 * expects a threshold within 24 hours, out of it as a heads-up line and nothing on the milestones topic.
 */
class PipelineToOutboxIT {

    @Test
    void a_forecast_of_the_pipeline_expecting_a_threshold_within_24_hours_ends_up_as_one_heads_up_line(@TempDir Path dir)
            throws Exception {
        // Given $100 of exports declared at 10 a.m. every weekday of 2025 up to Tuesday, December 23 (and $100 more
        // at 4 p.m. that day), and a national threshold $50 above that: the next morning's run brings it
        List<String> declarations = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2025, 1, 2); !day.isAfter(LocalDate.of(2025, 12, 23)); day = day.plusDays(1)) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                declarations.add(day + "T10:00:00+09:00");
            }
        }
        declarations.add("2025-12-23T16:00:00+09:00");
        long threshold = declarations.size() * 100L + 50;
        String bootstrap = SharedBroker.bootstrap();
        PipelineConfig pipelineConfig = pipelineOnItsOwnTopics(bootstrap, "notifier-e2e-forecast", "e2f", dir)
                .with("forecast.min-interval.ms", "2000")
                .with("milestones.thresholds.NATIONAL.KR", Long.toString(threshold))
                .with("milestones.monthly-records", "false");
        NotifierConfig notifierConfig = NotifierConfig.fromProperties(SharedBroker.notifierProperties("e2f", dir));
        assertThat(notifierConfig.forecastsTopic()).isEqualTo(pipelineConfig.forecastsTopic());
        Path outbox = notifierConfig.outboxFile();

        try (PipelineRunner pipeline = new PipelineRunner(pipelineConfig);
                Notifier notifier = new Notifier(notifierConfig).start()) {
            pipeline.start();
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // When the year's declarations are counted
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                for (int i = 0; i < declarations.size(); i++) {
                    String id = String.format("43210-25-%07dF", i + 1);
                    producer.send(new ProducerRecord<>("e2f.declarations", id, declaration(id, declarations.get(i), "100.00")));
                }
                producer.flush();
            }

            // Then stage 2's forecast as of December 23 expects the threshold within 24 hours...
            Forecast last = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<ConsumerRecord<String, byte[]>> records = SharedBroker.readAll("e2f.forecasts");
                return records.isEmpty() ? null : ContractJson.instance().parseForecast(records.get(records.size() - 1).value());
            }, f -> f != null && f.asOf().isEqual(OffsetDateTime.parse("2025-12-23T16:00:00+09:00")));
            Forecast.ThresholdForecast expected = last.thresholds().get(0);
            assertThat(expected.expectedAt()).as("%s", last).isNotNull().isBefore(last.asOf().plusHours(24));
            // ...and the notifier writes one heads-up line for it, and nothing on the milestones topic
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(outbox) && !Files.readAllLines(outbox).isEmpty());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> notifier.stats().delivered() == 1);
            List<String> lines = Files.readAllLines(outbox, StandardCharsets.UTF_8);
            assertThat(lines).hasSize(1);
            String line = lines.get(0);
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, line);
            assertThat(Json.topLevelString(line, "occurrenceKey")).isEqualTo("2025|NATIONAL|KR|" + threshold + "|APPROACHING");
            assertThat(line).contains("\"thresholdUsd\":\"" + threshold + ".00\"")
                    .containsPattern("\"en\":\"Korea's exports for 2025 are expected to pass \\$[0-9,]+ around 1?[0-9] [ap]\\.m\\."
                            + " (today|tomorrow), December 2[34] \\(KST\\)\\.")
                    .contains("This is an estimate, not an announcement.")
                    .contains("이는 추정치이며 공식 발표가 아닙니다.");
            assertThat(SharedBroker.readAll("e2f.milestones")).isEmpty();
            assertThat(SharedBroker.readAll(notifierConfig.deliveredTopic())).extracting(ConsumerRecord::key)
                    .containsExactly("2025|NATIONAL|KR|" + threshold + "|APPROACHING|outbox");
        }
    }

    @Test
    void a_threshold_crossed_by_declarations_ends_up_as_a_bilingual_outbox_line(@TempDir Path dir) throws Exception {
        String bootstrap = SharedBroker.bootstrap();
        PipelineConfig pipelineConfig = pipelineOnItsOwnTopics(bootstrap, "notifier-e2e", "e2e", dir)
                .with("milestones.thresholds.NATIONAL.KR", "1000")
                .with("milestones.monthly-records", "false");
        Properties np = SharedBroker.notifierProperties("e2e", dir);
        np.setProperty("topics.milestones", "e2e.milestones");
        // The milestone alone: whether a forecast before the crossing expects it depends on how stage 2 splits rounds.
        np.setProperty("forecast.approaching-horizon", "");
        NotifierConfig notifierConfig = NotifierConfig.fromProperties(np);
        Path outbox = notifierConfig.outboxFile();

        try (PipelineRunner pipeline = new PipelineRunner(pipelineConfig);
                Notifier notifier = new Notifier(notifierConfig).start()) {
            pipeline.start();
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // When $600 and then $500 of exports are declared, the second one at 1:03:27 p.m.
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("e2e.declarations", "43210-25-0000001X",
                        declaration("43210-25-0000001X", "2025-12-29T11:40:00+09:00", "600.00")));
                producer.send(new ProducerRecord<>("e2e.declarations", "43210-25-0000002X",
                        declaration("43210-25-0000002X", "2025-12-29T13:03:27+09:00", "500.00")));
                producer.flush();
            }

            // Then the notifier writes one outbox line with the English and Korean notice
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(outbox) && !Files.readAllLines(outbox).isEmpty());
            List<String> lines = Files.readAllLines(outbox, StandardCharsets.UTF_8);
            assertThat(lines).hasSize(1);
            String line = lines.get(0);
            ContractSchemas.assertValid(RecordSchema.NOTIFIER_OUTBOX_LINE, line);
            assertThat(Json.topLevelString(line, "occurrenceKey")).startsWith("2025|NATIONAL|KR|1000|CROSSED|");
            assertThat(line).contains("\"declarationId\":\"43210-25-0000002X\"")
                    .contains("\"crossedAt\":\"2025-12-29T13:03:27+09:00\"")
                    .contains("\"en\":\"As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                            + " were provisionally tallied at $1,000")
                    .contains("\"ko\":\"2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 1,000달러로 잠정 집계되었습니다.");
            // The story the pipeline gives the milestone (v2: history on record) is told: the notice is the one
            // the templates write for the milestone on the line.
            String milestoneJson = line.substring(line.indexOf("\"milestone\":") + "\"milestone\":".length(),
                    line.indexOf(",\"notice\":"));
            Notice expected = Notices.load(notifierConfig).write(
                    ContractJson.instance().parseMilestone(milestoneJson.getBytes(StandardCharsets.UTF_8)));
            assertThat(Json.topLevelString(line.substring(line.indexOf("\"notice\":") + "\"notice\":".length(),
                    line.lastIndexOf(",\"writtenAt\"")), "en")).isEqualTo(expected.en());
            // The line is written (and synced) before the delivery is recorded and counted.
            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.stats().delivered() == 1);
            assertThat(notifier.stats().delivered()).isEqualTo(1);
            // and what the pipeline and the notifier wrote on their topics is valid against its schema (read checks it)
            assertThat(SharedBroker.readAll("e2e.milestones")).hasSize(1);
            assertThat(SharedBroker.readAll(notifierConfig.deliveredTopic())).hasSize(1);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static String declaration(String id, String acceptedAt, String usd) {
        return "{\"declarationId\":\"" + id + "\",\"revision\":0,\"action\":\"ACCEPT\",\"acceptedAt\":\"" + acceptedAt
                + "\",\"exporterId\":\"1208812345\",\"exporterSize\":\"SME\",\"hsCode\":\"8542321010\","
                + "\"destination\":\"US\",\"currency\":\"USD\",\"fobAmount\":\"" + usd + "\"}";
    }

    /** A pipeline of its own on the shared broker: its topics named {@code prefix.*}, one partition, state in {@code dir}. */
    private static PipelineConfig pipelineOnItsOwnTopics(String bootstrap, String appId, String prefix, Path dir) throws IOException {
        PipelineConfig config = PipelineConfig.defaults()
                .with("streams.bootstrap.servers", bootstrap)
                .with("streams.application.id", appId)
                .with("streams.state.dir", Files.createDirectories(dir.resolve("state")).toString())
                .with("topics.partitions", "1");
        for (String topic : new String[] {"declarations", "rates", "totals", "milestones", "rejected", "rates-by-week",
                "stage-one-pace", "forecasts"}) {
            config = config.with("topics." + topic, prefix + "." + topic);
        }
        return config;
    }
}
