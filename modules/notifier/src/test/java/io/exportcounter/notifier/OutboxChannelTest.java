package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxChannelTest {
    private final Notices notices = Notices.load(NotifierConfig.defaults());

    @Test
    void one_json_line_per_notice_with_both_languages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/notices.jsonl");
        Delivery d = delivery(Milestones.korea700B());

        assertThat(attemptOnce(file, d).delivered()).isTrue();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(Json.topLevelString(line, "occurrenceKey")).isEqualTo(d.occurrenceKey());
        assertThat(line).startsWith("{\"occurrenceKey\":\"2025|NATIONAL|KR|700000000000|CROSSED|2025-12-29T04:03:27.412Z|")
                .contains("\"milestone\":" + new String(ContractJson.instance().write(Milestones.korea700B()), StandardCharsets.UTF_8))
                .contains("\"en\":\"As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025 were"
                        + " provisionally tallied at $700 billion.\"")
                .contains("\"ko\":\"2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.\"");
    }

    @Test
    void after_a_crash_a_cut_line_is_removed_and_a_written_notice_is_not_written_again(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notices.jsonl");
        Delivery first = delivery(Milestones.korea700B());
        attemptOnce(file, first);
        // A crash in the middle of the next line.
        Files.writeString(file, "{\"occurrenceKey\":\"2025|NATIONAL|KR|800", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Milestone later = Milestones.threshold("2025", io.exportcounter.contract.Dimension.NATIONAL, "KR",
                "800000000000.00", "800000000001.00", "2026-01-01T00:00:00+09:00", Instant.parse("2025-12-31T15:00:00.100Z"));

        try (OutboxChannel outbox = new OutboxChannel(file)) {
            outbox.open();
            assertThat(outbox.attempt(first).reason()).startsWith("already in");
            assertThat(outbox.attempt(delivery(later)).delivered()).isTrue();
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(Json.topLevelString(l, "occurrenceKey")).isNotNull());
    }

    private Delivery delivery(Milestone m) {
        return Delivery.of(m, notices.write(m));
    }

    /** Opens an outbox on {@code file}, attempts {@code d} and closes it, as one run of the notifier would. */
    private static Attempt attemptOnce(Path file, Delivery d) throws Exception {
        try (OutboxChannel outbox = new OutboxChannel(file)) {
            outbox.open();
            return outbox.attempt(d);
        }
    }
}
