package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact press texts, in English and Korean, from the packaged templates in config/notices/. */
class NoticesTest {
    private final Notices notices = Notices.load(NotifierConfig.defaults());

    @Test
    void korea_passing_700_billion_at_1_03_pm() {
        Notice n = notices.write(Milestones.korea700B());

        assertThat(n.en()).isEqualTo("As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                + " were provisionally tallied at $700 billion.");
        assertThat(n.ko()).isEqualTo("2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.");
        assertThat(n.subject()).isEqualTo("[Export Counter] Korea's exports pass $700 billion (1:03 p.m., Dec 29, 2025 KST)");
    }

    @Test
    void a_category_threshold_names_the_item_group() {
        Milestone m = Milestones.threshold("2025", Dimension.CATEGORY, "SEMICONDUCTORS", "150000000000.00",
                "150000012345.67", "2025-11-18T10:41:05+09:00", Instant.parse("2025-11-18T01:41:05.733Z"));

        Notice n = notices.write(m);

        assertThat(n.en()).isEqualTo("As of 10:41 a.m. on November 18, 2025 (KST), Korea's cumulative exports of"
                + " semiconductors for 2025 were provisionally tallied at $150 billion.");
        assertThat(n.ko()).isEqualTo("2025년 11월 18일 오전 10시 41분 기준, 2025년 한국의 반도체 누적 수출액이 1,500억 달러로 잠정 집계되었습니다.");
        assertThat(n.subject()).isEqualTo(
                "[Export Counter] Korea's exports of semiconductors pass $150 billion (10:41 a.m., Nov 18, 2025 KST)");
    }

    @Test
    void a_monthly_record_is_phrased_as_a_record_for_that_month() {
        Milestone m = Milestones.monthlyRecord("2025-12", "65950000000.00", "69570000000.00", "2025-12-29T13:03:27+09:00");

        Notice n = notices.write(m);

        assertThat(n.en()).isEqualTo("Korea's exports in December 2025 reached a monthly record of $69.6 billion as of"
                + " 1:03 p.m. on December 29, 2025 (KST), above the previous record of $66 billion (provisional tally).");
        assertThat(n.ko()).isEqualTo("2025년 12월 한국의 월간 수출액이 2025년 12월 29일 오후 1시 3분 기준 696억 달러로 잠정 집계되어,"
                + " 종전 최고치인 660억 달러를 넘어 월간 기준 역대 최대를 기록했습니다.");
        assertThat(n.subject()).isEqualTo(
                "[Export Counter] Korea's exports set a monthly record for December 2025: $69.6 billion (1:03 p.m., Dec 29, 2025 KST)");
    }

    @Test
    void a_record_just_above_the_old_one_is_written_finely_enough_to_tell_them_apart() {
        // The moment September 2025 passes December 2024's $61.38 billion.
        Milestone m = Milestones.monthlyRecord("2025-09", "61380000000.00", "61392345678.90", "2025-09-29T15:20:11+09:00");

        Notice n = notices.write(m);

        assertThat(n.en()).isEqualTo("Korea's exports in September 2025 reached a monthly record of $61.39 billion as of"
                + " 3:20 p.m. on September 29, 2025 (KST), above the previous record of $61.38 billion (provisional tally).");
        assertThat(n.ko()).isEqualTo("2025년 9월 한국의 월간 수출액이 2025년 9월 29일 오후 3시 20분 기준 613억 9,000만 달러로"
                + " 잠정 집계되어, 종전 최고치인 613억 8,000만 달러를 넘어 월간 기준 역대 최대를 기록했습니다.");
    }

    @Test
    void a_retraction_is_a_correction_dated_when_the_corrections_were_counted() {
        Milestone m = Milestones.retracted(Milestones.korea700B(), "699987654321.00", "2025-12-29T09:12:00+09:00",
                Instant.parse("2025-12-30T05:15:42.100Z"));

        Notice n = notices.write(m);

        assertThat(n.en()).isEqualTo("Correction: As of 2:15 p.m. on December 30, 2025 (KST), amended and cancelled export"
                + " declarations brought Korea's cumulative exports for 2025 back below $700 billion, to a provisional"
                + " $699.9 billion. The earlier notice that they had reached $700 billion is withdrawn.");
        assertThat(n.ko()).isEqualTo("정정: 2025년 12월 30일 오후 2시 15분 기준, 수출신고 정정·취하로 2025년 한국의 누적 수출액이"
                + " 6,999억 달러로 줄어 7,000억 달러 아래로 내려갔습니다. 앞서 알린 7,000억 달러 달성을 철회합니다.");
        assertThat(n.subject()).isEqualTo(
                "[Export Counter] Correction: Korea's exports back below $700 billion (2:15 p.m., Dec 30, 2025 KST)");
    }

    @Test
    void one_trillion_dollars_at_midnight() {
        Milestone m = Milestones.threshold("2026", Dimension.NATIONAL, "KR", "1000000000000.00", "1000000000321.00",
                "2026-12-30T00:00:05+09:00", Instant.parse("2026-12-29T15:00:05.250Z"));

        Notice n = notices.write(m);

        assertThat(n.en()).isEqualTo("As of 12:00 a.m. on December 30, 2026 (KST), Korea's cumulative exports for 2026"
                + " were provisionally tallied at $1 trillion.");
        assertThat(n.ko()).isEqualTo("2026년 12월 30일 오전 12시 기준, 2026년 한국의 누적 수출액이 1조 달러로 잠정 집계되었습니다.");
        assertThat(n.subject()).isEqualTo("[Export Counter] Korea's exports pass $1 trillion (12:00 a.m., Dec 30, 2026 KST)");
    }

    @Test
    void destinations_regions_and_exporter_sizes_have_names_in_both_languages() {
        Instant t = Instant.parse("2025-10-01T00:00:00Z");
        Notice us = notices.write(Milestones.threshold("2025", Dimension.DESTINATION, "US", "100000000000.00",
                "100000000001.00", "2025-10-01T09:00:00+09:00", t));
        Notice vn = notices.write(Milestones.threshold("2025", Dimension.DESTINATION, "VN", "50000000000.00",
                "50000000001.00", "2025-10-01T09:00:00+09:00", t));
        Notice asean = notices.write(Milestones.threshold("2025", Dimension.REGION, "ASEAN", "100000000000.00",
                "100000000001.00", "2025-10-01T09:00:00+09:00", t));
        Notice sme = notices.write(Milestones.threshold("2025", Dimension.EXPORTER_SIZE, "SME", "100000000000.00",
                "100000000001.00", "2025-10-01T09:00:00+09:00", t));

        assertThat(us.en()).contains("Korea's cumulative exports to the United States for 2025");
        assertThat(us.ko()).contains("한국의 대(對)미국 누적 수출액이 1,000억 달러로");
        assertThat(vn.en()).contains("exports to Vietnam").contains("$50 billion");
        assertThat(vn.ko()).contains("대(對)베트남").contains("500억 달러");
        assertThat(asean.ko()).contains("한국의 대(對)아세안 누적 수출액");
        assertThat(sme.en()).contains("the cumulative exports of Korea's small and medium-sized enterprises for 2025");
        assertThat(sme.ko()).contains("2025년 한국 중소기업의 누적 수출액이");
        assertThat(sme.subject()).startsWith("[Export Counter] Exports of Korea's small and medium-sized enterprises pass");
    }

    @Test
    void the_zone_label_and_zone_come_from_config() {
        Notices utc = Notices.load(NotifierConfig.defaults().with("reporting.zone", "UTC").with("reporting.zone-label", "UTC"));

        assertThat(utc.write(Milestones.korea700B()).en()).startsWith("As of 4:03 a.m. on December 29, 2025 (UTC),");
    }

    @Test
    void edited_templates_with_an_unknown_placeholder_stop_the_start(@TempDir Path dir) throws Exception {
        try (var en = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/en.properties");
                var ko = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/ko.properties")) {
            Files.write(dir.resolve("en.properties"), (new String(en.readAllBytes(), "UTF-8")
                    + "\nthreshold.crossed=As of {time} {totl}\n").getBytes("UTF-8"));
            Files.write(dir.resolve("ko.properties"), ko.readAllBytes());
        }
        NotifierConfig config = NotifierConfig.defaults().with("notices.templates", dir.toString());

        assertThatThrownBy(() -> Notices.load(config))
                .isInstanceOf(NotifierConfigException.class)
                .hasMessageContaining("notices.templates").hasMessageContaining("en.properties")
                .hasMessageContaining("threshold.crossed").hasMessageContaining("{totl}");
    }

    @Test
    void the_email_bodies_carry_both_languages() {
        Notice n = notices.write(Milestones.korea700B());

        assertThat(n.plainText()).contains(n.en()).contains(n.ko()).contains("2025|NATIONAL|KR|700000000000");
        assertThat(n.html()).contains("<p lang=\"en\"").contains("<p lang=\"ko\"").contains("Korea&#39;s cumulative exports")
                .contains("7,000억 달러");
    }
}
