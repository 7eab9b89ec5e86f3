package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.RecordMeasure;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact press texts, in English and Korean, from the packaged templates in config/notices/. */
class NoticesTest {
    private final Notices notices = Notices.load(NotifierConfig.defaults());

    // ------------------------------------------------------------------ the whole texts, one case a milestone

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void writes_the_exact_texts(Text expected) {
        Notice n = notices.write(expected.milestone());

        assertThat(n.en()).isEqualTo(expected.en());
        assertThat(n.ko()).isEqualTo(expected.ko());
        if (expected.subject() != null) {
            assertThat(n.subject()).isEqualTo(expected.subject());
        }
        expected.more().accept(n);
    }

    static Stream<Text> texts() {
        return Stream.of(
                text("Korea passing $700 billion at 1:03 p.m.",
                        Milestones.korea700B(),
                        "As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                                + " were provisionally tallied at $700 billion.",
                        "2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정 집계되었습니다.")
                        .subject("[Export Counter] Korea's exports pass $700 billion (1:03 p.m., Dec 29, 2025 KST)"),

                text("a category threshold names the item group",
                        Milestones.threshold("2025", Dimension.CATEGORY, "SEMICONDUCTORS", "150000000000.00",
                                "150000012345.67", "2025-11-18T10:41:05+09:00",
                                Instant.parse("2025-11-18T01:41:05.733Z")),
                        "As of 10:41 a.m. on November 18, 2025 (KST), Korea's cumulative exports of"
                                + " semiconductors for 2025 were provisionally tallied at $150 billion.",
                        "2025년 11월 18일 오전 10시 41분 기준, 2025년 한국의 반도체 누적 수출액이 1,500억 달러로 잠정 집계되었습니다.")
                        .subject("[Export Counter] Korea's exports of semiconductors pass $150 billion"
                                + " (10:41 a.m., Nov 18, 2025 KST)"),

                text("a v1 monthly record without history names neither the record month nor the years compared",
                        Milestones.monthlyRecord("2025-12", "65950000000.00", "69570000000.00",
                                "2025-12-29T13:03:27+09:00"),
                        "As of 1:03 p.m. on December 29, 2025 (KST), Korea's exports for December 2025 reached"
                                + " a provisional $69.6 billion, the highest monthly total on record, above the previous"
                                + " record of $66 billion.",
                        "2025년 12월 29일 오후 1시 3분 기준, 2025년 12월 한국의 수출액이 696억 달러로 잠정 집계되어,"
                                + " 종전 최고치인 660억 달러를 넘어 월간 기준 역대 최대를 기록했습니다.")
                        .subject("[Export Counter] Korea's exports set a monthly record for December 2025: $69.6 billion"
                                + " (1:03 p.m., Dec 29, 2025 KST)"),

                // The moment September 2025 passes December 2024's $61.38 billion.
                text("a record just above the old one is written finely enough to tell them apart",
                        Milestones.monthlyRecord("2025-09", "61380000000.00", "61392345678.90",
                                "2025-09-29T15:20:11+09:00"),
                        "As of 3:20 p.m. on September 29, 2025 (KST), Korea's exports for September 2025 reached"
                                + " a provisional $61.39 billion, the highest monthly total on record, above the previous"
                                + " record of $61.38 billion.",
                        "2025년 9월 29일 오후 3시 20분 기준, 2025년 9월 한국의 수출액이 613억 9,000만 달러로"
                                + " 잠정 집계되어, 종전 최고치인 613억 8,000만 달러를 넘어 월간 기준 역대 최대를 기록했습니다."),

                text("a retraction is a correction dated when the corrections were counted",
                        Milestones.retracted(Milestones.korea700B(), "699987654321.00", "2025-12-29T09:12:00+09:00",
                                Instant.parse("2025-12-30T05:15:42.100Z")),
                        "Correction: As of 2:15 p.m. on December 30, 2025 (KST), amended and cancelled export"
                                + " declarations brought Korea's cumulative exports for 2025 back below $700 billion,"
                                + " to a provisional $699.9 billion. The earlier notice that they had reached"
                                + " $700 billion is withdrawn.",
                        "정정: 2025년 12월 30일 오후 2시 15분 기준, 수출신고 정정·취하로 2025년 한국의 누적 수출액이"
                                + " 6,999억 달러로 줄어 7,000억 달러 아래로 내려갔습니다. 앞서 알린 7,000억 달러 달성을 철회합니다.")
                        .subject("[Export Counter] Correction: Korea's exports back below $700 billion"
                                + " (2:15 p.m., Dec 30, 2025 KST)"),

                text("one trillion dollars at midnight",
                        Milestones.threshold("2026", Dimension.NATIONAL, "KR", "1000000000000.00", "1000000000321.00",
                                "2026-12-30T00:00:05+09:00", Instant.parse("2026-12-29T15:00:05.250Z")),
                        "As of 12:00 a.m. on December 30, 2026 (KST), Korea's cumulative exports for 2026"
                                + " were provisionally tallied at $1 trillion.",
                        "2026년 12월 30일 오전 12시 기준, 2026년 한국의 누적 수출액이 1조 달러로 잠정 집계되었습니다.")
                        .subject("[Export Counter] Korea's exports pass $1 trillion (12:00 a.m., Dec 30, 2026 KST)"),

                // v2: the story of a milestone.

                text("Korea passing $700 billion for the first time, seven years after $600 billion",
                        Milestones.korea700BFirstTime(),
                        "As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                                + " were provisionally tallied at $700 billion, topping $700 billion for the first time,"
                                + " seven years after surpassing $600 billion in 2018.",
                        "2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정"
                                + " 집계되었습니다. 사상 처음으로 7,000억 달러를 돌파했으며, 2018년 6,000억 달러를 넘어선 지"
                                + " 7년 만입니다.")
                        .subject("[Export Counter] Korea's exports pass $700 billion (1:03 p.m., Dec 29, 2025 KST)"),

                text("a threshold reached in an earlier year says when it was first reached",
                        Milestones.korea700B().withStory(
                                Milestone.Story.threshold(false, "2018", new BigDecimal("600000000000.00"), "2018")),
                        "As of 1:03 p.m. on December 29, 2025 (KST), Korea's cumulative exports for 2025"
                                + " were provisionally tallied at $700 billion, a level first reached in 2018.",
                        "2025년 12월 29일 오후 1시 3분 기준, 2025년 한국의 누적 수출액이 7,000억 달러로 잠정"
                                + " 집계되었습니다. 2018년에 처음 도달한 수준입니다.")
                        .and(n -> assertThat(n.en()).doesNotContain("first time")),

                text("an annual record equal to the old one when rounded is written finer",
                        Milestones.record(MilestoneKind.ANNUAL_RECORD, "2025", "683800000000.00", "683812345678.00",
                                "2025-12-12T11:36:02+09:00", Milestones.story("2024", "1995", null)),
                        "As of 11:36 a.m. on December 12, 2025 (KST), Korea's cumulative exports for 2025"
                                + " reached a provisional $683.81 billion, passing 2024's $683.8 billion to become the"
                                + " highest annual total on record (records since 1995).",
                        "2025년 12월 12일 오전 11시 36분 기준, 2025년 한국의 누적 수출액이 6,838억 1,000만 달러로"
                                + " 잠정 집계되어, 종전 최고치인 2024년의 6,838억 달러를 넘어 연간 기준 역대 최대(1995년 이후"
                                + " 기록 기준)를 기록했습니다.")
                        .subject("[Export Counter] Korea's exports set an annual record for 2025: $683.81 billion"
                                + " (11:36 a.m., Dec 12, 2025 KST)"),

                text("a calendar-month record that is the first of a streak has no streak sentence",
                        Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06", "57070000000.00",
                                "57200000000.00", "2025-06-27T14:10:00+09:00", Milestones.story("2022-06", "2018", 1)),
                        "As of 2:10 p.m. on June 27, 2025 (KST), Korea's exports for June 2025 reached a"
                                + " provisional $57.2 billion, the highest June on record (records since 2018),"
                                + " above June 2022's $57.1 billion.",
                        "2025년 6월 27일 오후 2시 10분 기준, 2025년 6월 한국의 수출액이 572억 달러로 잠정 집계되어,"
                                + " 종전 최고치인 2022년 6월의 571억 달러를 넘어 역대 6월 중 최대(2018년 이후 기록 기준)를"
                                + " 기록했습니다.")
                        .subject("[Export Counter] Korea's exports set a record for June: $57.2 billion in June 2025"
                                + " (2:10 p.m., Jun 27, 2025 KST)")
                        .and(n -> {
                            assertThat(n.en()).doesNotContain("consecutive");
                            assertThat(n.ko()).doesNotContain("연속");
                        }),

                text("the sixth calendar-month record in a row says so",
                        Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-11", "56350000000.00",
                                "60104000000.00", "2025-11-27T14:10:00+09:00", Milestones.story("2024-11", "2018", 6)),
                        "As of 2:10 p.m. on November 27, 2025 (KST), Korea's exports for November 2025 reached"
                                + " a provisional $60.1 billion, the highest November on record (records since 2018),"
                                + " above November 2024's $56.4 billion. It is the sixth consecutive month of"
                                + " calendar-month records.",
                        "2025년 11월 27일 오후 2시 10분 기준, 2025년 11월 한국의 수출액이 601억 달러로 잠정"
                                + " 집계되어, 종전 최고치인 2024년 11월의 564억 달러를 넘어 역대 11월 중 최대(2018년 이후"
                                + " 기록 기준)를 기록했습니다. 6개월 연속 월별 최고 기록입니다."),

                text("a monthly record claims no more history than it compared",
                        Milestones.record(MilestoneKind.MONTHLY_RECORD, "2025-09", "63800000000.00", "63912345678.00",
                                "2025-09-26T16:45:00+09:00", Milestones.story("2022-03", "2018", null)),
                        "As of 4:45 p.m. on September 26, 2025 (KST), Korea's exports for September 2025"
                                + " reached a provisional $63.9 billion, the highest monthly total on record (records"
                                + " since 2018), above March 2022's $63.8 billion.",
                        "2025년 9월 26일 오후 4시 45분 기준, 2025년 9월 한국의 수출액이 639억 달러로 잠정 집계되어,"
                                + " 종전 최고치인 2022년 3월의 638억 달러를 넘어 월간 기준 역대 최대(2018년 이후 기록 기준)를"
                                + " 기록했습니다.")
                        .and(n -> assertThat(n.en()).doesNotContain("ever").doesNotContain("all-time")),

                text("SME exports through the third quarter are a year-to-date record",
                        Milestones.ytdRecord("2025-Q3", "80100000000.00", "83456789012.00", "2024-Q3", "2018", null,
                                null),
                        "Through the third quarter of 2025, the cumulative exports of Korea's small and"
                                + " medium-sized enterprises reached a provisional $83.5 billion, the highest for"
                                + " January to September on record (records since 2018), above 2024's $80.1 billion.",
                        "2025년 3분기까지 한국 중소기업의 누적 수출액이 835억 달러로 잠정 집계되어, 종전 최고치인"
                                + " 2024년의 801억 달러를 넘어 1월~9월 기준 역대 최대(2018년 이후 기록 기준)를 기록했습니다.")
                        .subject("[Export Counter] Exports of Korea's small and medium-sized enterprises set a"
                                + " record for January to September 2025: $83.5 billion")
                        .and(n -> {
                            // Dated by the quarter, not by crossedAt (the start of the next quarter, 12:00 a.m.).
                            assertThat(n.en() + n.ko() + n.subject()).doesNotContain("12:00 a.m.")
                                    .doesNotContain("October").doesNotContain("오전 12시");
                            assertThat(n.footerEn()).contains("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE")
                                    .contains("declaration -");
                        }),

                text("the number of exporting SMEs through the third quarter is a year-to-date record",
                        Milestones.ytdRecord("2025-Q3", "80100000000.00", "83456789012.00", "2024-Q3", "2018",
                                71_204L, 69_850L),
                        "Through the third quarter of 2025, 71,204 small and medium-sized enterprises in Korea"
                                + " exported, the most for January to September on record (records since 2018),"
                                + " above 69,850 in 2024.",
                        "2025년 3분기까지 한국의 수출 중소기업 수가 7만 1,204개사로 잠정 집계되어, 종전 최고치인"
                                + " 2024년의 6만 9,850개사를 넘어 1월~9월 기준 역대 최대(2018년 이후 기록 기준)를 기록했습니다.")
                        .subject("[Export Counter] Record for January to September 2025: 71,204 small and"
                                + " medium-sized enterprises in Korea exported"));
    }

    /** A milestone and the texts expected for it; no subject where the case does not pin one. */
    record Text(String name, Milestone milestone, String en, String ko, String subject, Consumer<Notice> more) {
        Text subject(String expectedSubject) {
            return new Text(name, milestone, en, ko, expectedSubject, more);
        }

        /** Further checks of the notice, beyond its texts. */
        Text and(Consumer<Notice> further) {
            return new Text(name, milestone, en, ko, subject, more.andThen(further));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Text text(String name, Milestone milestone, String en, String ko) {
        return new Text(name, milestone, en, ko, null, n -> { });
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

    // ------------------------------------------------------------------ v2: the story of a milestone

    @Test
    void the_years_since_the_threshold_below_are_counted_from_the_fields_and_written_as_the_press_does() {
        BigDecimal b500 = new BigDecimal("500000000000.00");
        Milestone m2018 = Milestones.threshold("2018", Dimension.NATIONAL, "KR", "600000000000.00", "600000000100.00",
                "2018-12-28T10:12:00+09:00", Instant.parse("2018-12-28T01:12:00.500Z"));

        assertThat(notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2011"))).en())
                .endsWith(", topping $600 billion for the first time, seven years after surpassing $500 billion in 2011.");
        assertThat(notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2017"))).en())
                .endsWith(", topping $600 billion for the first time, a year after surpassing $500 billion in 2017.");
        assertThat(notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2017"))).ko())
                .endsWith("2017년 5,000억 달러를 넘어선 지 1년 만입니다.");
        assertThat(notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2008"))).en())
                .contains("ten years after surpassing $500 billion in 2008.");
        assertThat(notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2004"))).en())
                .contains("14 years after surpassing $500 billion in 2004.");
        Notice sameYear = notices.write(m2018.withStory(Milestone.Story.threshold(true, null, b500, "2018")));
        assertThat(sameYear.en()).endsWith(", topping $600 billion for the first time, in the same year as surpassing"
                + " $500 billion.");
        assertThat(sameYear.ko()).endsWith("사상 처음으로 6,000억 달러를 돌파했으며, 같은 해에 5,000억 달러도 처음 넘어섰습니다.");
    }

    @Test
    void a_threshold_without_history_has_no_history_sentence() {
        Milestone noHistory = Milestones.korea700B().withStory(Milestone.Story.NONE);
        Milestone firstTimeOnly = Milestones.korea700B().withStory(Milestone.Story.threshold(true, null, null, null));

        assertThat(notices.write(noHistory).en()).isEqualTo(notices.write(Milestones.korea700B()).en())
                .endsWith("were provisionally tallied at $700 billion.");
        assertThat(notices.write(noHistory).ko()).endsWith("7,000억 달러로 잠정 집계되었습니다.");
        assertThat(notices.write(firstTimeOnly).en()).endsWith(
                "were provisionally tallied at $700 billion, topping $700 billion for the first time.");
        assertThat(notices.write(firstTimeOnly).ko()).endsWith("잠정 집계되었습니다. 사상 처음으로 7,000억 달러를 돌파했습니다.");
    }

    @Test
    void an_annual_record_passed_by_a_few_dollars_is_written_to_the_dollar_or_the_cent() {
        Milestone dollars = Milestones.record(MilestoneKind.ANNUAL_RECORD, "2025", "683800000000.00", "683800000950.00",
                "2025-12-12T11:36:02+09:00", Milestones.story("2024", "1995", null));
        Milestone cents = Milestones.record(MilestoneKind.ANNUAL_RECORD, "2025", "683800000000.00", "683800000000.25",
                "2025-12-12T11:36:02+09:00", Milestones.story("2024", "1995", null));

        assertThat(notices.write(dollars).en()).contains("a provisional $683,800,000,950, passing 2024's $683,800,000,000 to");
        assertThat(notices.write(dollars).ko()).contains("6,838억 950달러로").contains("2024년의 6,838억 달러를 넘어");
        assertThat(notices.write(cents).en()).contains("a provisional $683,800,000,000.25, passing 2024's $683,800,000,000.00");
    }

    @Test
    void streaks_are_counted_in_ordinal_words_then_digits() {
        Milestone june = Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06", "57070000000.00",
                "57200000000.00", "2025-06-27T14:10:00+09:00", Milestones.story("2022-06", "2018", 2));

        assertThat(notices.write(june).en()).endsWith("It is the second consecutive month of calendar-month records.");
        assertThat(notices.write(june.withStory(Milestones.story("2022-06", "2018", 12))).en())
                .endsWith("It is the twelfth consecutive month of calendar-month records.");
        assertThat(notices.write(june.withStory(Milestones.story("2022-06", "2018", 13))).en())
                .endsWith("It is the 13th consecutive month of calendar-month records.");
        assertThat(notices.write(june.withStory(Milestones.story("2022-06", "2018", 22))).en())
                .endsWith("It is the 22nd consecutive month of calendar-month records.");
        assertThat(notices.write(june.withStory(Milestones.story("2022-06", "2018", 13))).ko())
                .endsWith("13개월 연속 월별 최고 기록입니다.");
    }

    @Test
    void records_without_since_or_record_period_leave_them_out() {
        Milestone noSince = Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06", "57070000000.00",
                "57200000000.00", "2025-06-27T14:10:00+09:00", Milestones.story("2022-06", null, null));
        Milestone noPeriod = Milestones.record(MilestoneKind.ANNUAL_RECORD, "2025", "683800000000.00", "690000000000.00",
                "2025-12-12T11:36:02+09:00", Milestones.story(null, "1995", null));

        assertThat(notices.write(noSince).en()).contains("the highest June on record, above June 2022's $57.1 billion.")
                .doesNotContain("records since");
        assertThat(notices.write(noSince).ko()).contains("역대 6월 중 최대를 기록했습니다.").doesNotContain("이후");
        assertThat(notices.write(noPeriod).en()).contains("passing the previous record of $683.8 billion to become the"
                + " highest annual total on record (records since 1995).");
        assertThat(notices.write(noPeriod).ko()).contains("종전 최고치인 6,838억 달러를 넘어");
    }

    @Test
    void the_other_quarters_name_their_months() {
        Milestone q1 = Milestones.ytdRecord("2025-Q1", "24000000000.00", "25000000000.00", "2024-Q1", "2018", null, null);
        Milestone q4 = Milestones.ytdRecord("2025-Q4", "110000000000.00", "115100000000.00", "2024-Q4", "2018", null, null);

        assertThat(notices.write(q1).en()).startsWith("Through the first quarter of 2025,")
                .contains("the highest for January to March on record");
        assertThat(notices.write(q1).ko()).startsWith("2025년 1분기까지").contains("1월~3월 기준");
        assertThat(notices.write(q4).en()).startsWith("Through the fourth quarter of 2025,")
                .contains("the highest for January to December on record");
    }

    @Test
    void retractions_of_the_new_kinds_are_corrections_dated_when_counted() {
        Instant detected = Instant.parse("2025-12-30T05:15:42.100Z");
        Milestone annual = Milestones.retracted(Milestones.record(MilestoneKind.ANNUAL_RECORD, "2025", "683800000000.00",
                "683812345678.00", "2025-12-12T11:36:02+09:00", Milestones.story("2024", "1995", null)),
                "683799000000.00", "2025-12-29T09:12:00+09:00", detected);
        Milestone june = Milestones.retracted(Milestones.record(MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06",
                "57070000000.00", "57200000000.00", "2025-06-27T14:10:00+09:00", Milestones.story("2022-06", "2018", 3)),
                "57000000000.00", "2025-07-02T09:12:00+09:00", Instant.parse("2025-07-02T00:30:00Z"));
        Milestone monthly = Milestones.retracted(Milestones.record(MilestoneKind.MONTHLY_RECORD, "2025-09",
                "63800000000.00", "63912345678.00", "2025-09-26T16:45:00+09:00", Milestones.story("2022-03", "2018", null)),
                "63750000000.00", "2025-10-02T09:12:00+09:00", Instant.parse("2025-10-02T00:30:00Z"));
        Milestone ytdValue = Milestones.retracted(Milestones.ytdRecord("2025-Q3", "80100000000.00", "80150000000.00",
                "2024-Q3", "2018", null, null), "80090000000.00", "2025-10-05T09:12:00+09:00",
                Instant.parse("2025-10-05T00:30:00Z"));
        Milestone ytdCount = Milestones.ytdRecord("2025-Q3", "80100000000.00", "80150000000.00", "2024-Q3", "2018",
                71_204L, 69_850L);
        ytdCount = Milestones.retracted(ytdCount, "80090000000.00", "2025-10-05T09:12:00+09:00",
                Instant.parse("2025-10-05T00:30:00Z")).withStory(new Milestone.Story(null, null, null, null, "2024-Q3",
                "2018", null, RecordMeasure.EXPORTERS, 69_801L, 69_850L));

        Notice a = notices.write(annual);
        assertThat(a.en()).isEqualTo("Correction: As of 2:15 p.m. on December 30, 2025 (KST), amended and cancelled export"
                + " declarations brought Korea's cumulative exports for 2025 back to a provisional $683.7 billion, no longer"
                + " above 2024's $683.8 billion. The earlier notice of an annual record is withdrawn.");
        assertThat(a.ko()).isEqualTo("정정: 2025년 12월 30일 오후 2시 15분 기준, 수출신고 정정·취하로 2025년 한국의 누적"
                + " 수출액이 6,837억 달러로 줄어 종전 최고치인 2024년의 6,838억 달러 이하로 내려갔습니다. 앞서 알린 연간 최대"
                + " 기록을 철회합니다.");
        assertThat(a.subject()).isEqualTo("[Export Counter] Correction: Korea's exports for 2025 back below the annual record"
                + " (2:15 p.m., Dec 30, 2025 KST)");

        Notice j = notices.write(june);
        assertThat(j.en()).isEqualTo("Correction: As of 9:30 a.m. on July 2, 2025 (KST), amended and cancelled export"
                + " declarations brought Korea's exports for June 2025 back to a provisional $57 billion, no longer above"
                + " June 2022's $57.1 billion. The earlier notice of a record for June is withdrawn.");
        assertThat(j.ko()).isEqualTo("정정: 2025년 7월 2일 오전 9시 30분 기준, 수출신고 정정·취하로 2025년 6월 한국의 수출액이"
                + " 570억 달러로 줄어 종전 최고치인 2022년 6월의 571억 달러 이하로 내려갔습니다. 앞서 알린 역대 6월 최대 기록을"
                + " 철회합니다.");
        assertThat(j.en()).doesNotContain("consecutive");
        assertThat(j.subject()).isEqualTo("[Export Counter] Correction: Korea's exports in June 2025 back below the record"
                + " for June (9:30 a.m., Jul 2, 2025 KST)");

        Notice mo = notices.write(monthly);
        assertThat(mo.en()).isEqualTo("Correction: As of 9:30 a.m. on October 2, 2025 (KST), amended and cancelled export"
                + " declarations brought Korea's exports for September 2025 back to a provisional $63.7 billion, no longer"
                + " above March 2022's $63.8 billion. The earlier notice of a monthly record is withdrawn.");
        assertThat(mo.ko()).contains("2025년 9월 한국의 수출액이 637억 달러로 줄어 종전 최고치인 2022년 3월의 638억 달러 이하로");

        Notice v = notices.write(ytdValue);
        assertThat(v.en()).isEqualTo("Correction: As of 9:30 a.m. on October 5, 2025 (KST), amended and cancelled export"
                + " declarations brought the cumulative exports of Korea's small and medium-sized enterprises through the"
                + " third quarter of 2025 back to a provisional $80 billion, no longer above 2024's $80.1 billion."
                + " The earlier notice of a record for January to September is withdrawn.");
        assertThat(v.ko()).isEqualTo("정정: 2025년 10월 5일 오전 9시 30분 기준, 수출신고 정정·취하로 2025년 3분기까지 한국"
                + " 중소기업의 누적 수출액이 800억 달러로 줄어 종전 최고치인 2024년의 801억 달러 이하로 내려갔습니다."
                + " 앞서 알린 1월~9월 기준 최대 기록을 철회합니다.");

        Notice c = notices.write(ytdCount);
        assertThat(c.en()).isEqualTo("Correction: As of 9:30 a.m. on October 5, 2025 (KST), after amended and cancelled"
                + " export declarations, 69,801 small and medium-sized enterprises in Korea exported through the third"
                + " quarter of 2025, no longer above 69,850 in 2024. The earlier notice of a record for January to"
                + " September is withdrawn.");
        assertThat(c.ko()).isEqualTo("정정: 2025년 10월 5일 오전 9시 30분 기준, 수출신고 정정·취하로 2025년 3분기까지 한국의"
                + " 수출 중소기업 수가 6만 9,801개사로 줄어 종전 최고치인 2024년의 6만 9,850개사 이하로 내려갔습니다. 앞서 알린"
                + " 1월~9월 기준 최대 기록을 철회합니다.");
        assertThat(c.subject()).isEqualTo("[Export Counter] Correction: the number of exporters for January to September"
                + " 2025 back below the record (9:30 a.m., Oct 5, 2025 KST)");
    }

    @Test
    void a_retracted_first_time_threshold_is_the_usual_correction() {
        Milestone m = Milestones.retracted(Milestones.korea700BFirstTime(), "699987654321.00", "2025-12-29T09:12:00+09:00",
                Instant.parse("2025-12-30T05:15:42.100Z"));

        assertThat(notices.write(m).en()).isEqualTo(notices.write(Milestones.retracted(Milestones.korea700B(),
                "699987654321.00", "2025-12-29T09:12:00+09:00", Instant.parse("2025-12-30T05:15:42.100Z"))).en())
                .startsWith("Correction: As of 2:15 p.m. on December 30, 2025 (KST)").doesNotContain("first time");
    }

    @Test
    void no_notice_of_any_kind_type_or_story_says_null_or_leaves_a_gap() {
        List<Milestone.Story> stories = List.of(Milestone.Story.NONE,
                Milestone.Story.record(null, null),
                new Milestone.Story(true, "2018", new BigDecimal("600000000000.00"), "2018", "2024", "1995", 6,
                        RecordMeasure.EXPORTERS, 71_204L, 69_850L),
                new Milestone.Story(false, null, null, null, null, null, 1, RecordMeasure.VALUE, null, null),
                new Milestone.Story(true, null, new BigDecimal("600000000000.00"), null, "2024-06", null, null,
                        RecordMeasure.EXPORTERS, 71_204L, null),
                new Milestone.Story(false, "2018", null, null, "2024-Q3", "2018", 2, RecordMeasure.EXPORTERS, null, 1L));
        List<Milestone> all = new ArrayList<>(notices.samples());
        for (MilestoneKind kind : MilestoneKind.values()) {
            String period = switch (kind) {
                case THRESHOLD, ANNUAL_RECORD -> "2025";
                case MONTHLY_RECORD, CALENDAR_MONTH_RECORD -> "2025-06";
                case YEAR_TO_DATE_RECORD -> "2025-Q2";
            };
            for (MilestoneType type : MilestoneType.values()) {
                for (Milestone.Story story : stories) {
                    for (Dimension d : Dimension.values()) {
                        String member = d == Dimension.NATIONAL ? "KR" : d == Dimension.EXPORTER_SIZE ? "SME" : "OTHER";
                        all.add(new Milestone(period + "|" + d + "|" + member + "|" + kind, kind, type, period, d, member,
                                new BigDecimal("57070000000.00"), new BigDecimal("57070000000.40"),
                                OffsetDateTime.parse("2025-07-01T00:00:00+09:00"), "12:00 a.m.",
                                kind == MilestoneKind.YEAR_TO_DATE_RECORD ? null : "43210-25-0123456X",
                                Instant.parse("2025-07-01T00:01:35Z"), true, story));
                    }
                }
            }
        }

        assertThat(all).hasSizeGreaterThan(500);
        for (Milestone m : all) {
            Notice n = notices.write(m);
            for (String text : List.of(n.en(), n.ko(), n.subject(), n.footerEn(), n.footerKo())) {
                assertThat(text).as("%s %s %s", m.kind(), m.type(), m.story())
                        .isNotBlank()
                        .doesNotContainIgnoringCase("null")
                        .doesNotContain("{").doesNotContain("}")
                        .doesNotContain("  ").doesNotContain(" .").doesNotContain(" ,").doesNotContain("()")
                        .doesNotContain(", .").doesNotContain(",.")
                        .isEqualTo(text.strip());
            }
            assertThat(n.en()).as("%s %s %s", m.kind(), m.type(), m.story()).endsWith(".");
            assertThat(n.ko()).as("%s %s %s", m.kind(), m.type(), m.story()).endsWith(".");
            assertThat(n.en() + n.subject()).as("%s %s %s", m.kind(), m.type(), m.story()).doesNotContainPattern("\\p{IsHangul}");
        }
    }

    @Test
    void edited_templates_missing_a_new_key_stop_the_start(@TempDir Path dir) throws Exception {
        try (var en = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/en.properties");
                var ko = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/ko.properties")) {
            Files.write(dir.resolve("en.properties"), en.readAllBytes());
            Files.write(dir.resolve("ko.properties"), new String(ko.readAllBytes(), "UTF-8")
                    .replaceAll("(?m)^part\\.streak=.*$", "").getBytes("UTF-8"));
        }
        NotifierConfig config = NotifierConfig.defaults().with("notices.templates", dir.toString());

        assertThatThrownBy(() -> Notices.load(config))
                .isInstanceOf(NotifierConfigException.class)
                .hasMessageContaining("notices.templates").hasMessageContaining("ko.properties")
                .hasMessageContaining("part.streak");
    }

    @Test
    void the_delivered_milestone_json_carries_the_story() {
        Milestone m = Milestones.korea700BFirstTime();
        Delivery d = Delivery.of(m, notices.write(m));

        String body = new String(Json.webhookBody(d), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(body).contains("\"firstTime\":true").contains("\"previousThresholdUsd\":\"600000000000.00\"")
                .contains("\"previousThresholdFirstReached\":\"2018\"")
                .contains("seven years after surpassing $600 billion in 2018");
    }

    // ------------------------------------------------------------------ a forecast's heads-up

    @Test
    void a_heads_up_says_when_the_threshold_is_expected_with_its_range_and_that_it_is_an_estimate() {
        HeadsUp h = headsUp(Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00"));

        Notice n = notices.write(h);

        assertThat(n.en()).isEqualTo("Korea's exports for 2025 are expected to pass $700 billion around 2 p.m. tomorrow,"
                + " December 29 (KST). The 80% range runs from 6 p.m. on December 28 to 11 a.m. on December 30."
                + " This is an estimate, not an announcement.");
        assertThat(n.ko()).isEqualTo("2025년 한국의 수출액이 내일(12월 29일) 오후 2시경 7,000억 달러를 넘어설 것으로 예상됩니다."
                + " 80% 예상 범위는 12월 28일 오후 6시부터 12월 30일 오전 11시까지입니다. 이는 추정치이며 공식 발표가 아닙니다.");
        assertThat(n.subject()).isEqualTo("[Export Counter] Heads-up (estimate): Korea's exports expected to pass $700 billion"
                + " around 2 p.m., Dec 29, 2025 KST");
        assertThat(n.footerEn()).isEqualTo("Heads-up for milestone 2025|NATIONAL|KR|700000000000, from the forecast as of"
                + " 2025-12-28T18:00:00+09:00. Probability of passing it this year: 97%. Forecasts are estimates: the milestone"
                + " notice follows only once the total is counted past the threshold.");
        assertThat(n.footerKo()).isEqualTo("마일스톤 2025|NATIONAL|KR|700000000000 사전 안내, 2025-12-28T18:00:00+09:00 기준 예측."
                + " 올해 안에 넘어설 확률은 97%입니다. 예측은 추정치이며, 실제 집계가 기준을 넘으면 별도로 알립니다.");
    }

    @Test
    void without_a_range_or_a_probability_the_heads_up_says_only_what_is_known() {
        OffsetDateTime at = OffsetDateTime.parse("2025-12-29T14:20:00+09:00");
        HeadsUp h = headsUp(Forecasts.forecast(Dimension.NATIONAL, "KR", "2025-12-28T18:00:00+09:00",
                List.of(Forecasts.threshold("700000000000.00", at, at.minusHours(3), null, null))));

        Notice n = notices.write(h);

        assertThat(n.en()).isEqualTo("Korea's exports for 2025 are expected to pass $700 billion around 2 p.m. tomorrow,"
                + " December 29 (KST). This is an estimate, not an announcement.");
        assertThat(n.ko()).isEqualTo("2025년 한국의 수출액이 내일(12월 29일) 오후 2시경 7,000억 달러를 넘어설 것으로 예상됩니다."
                + " 이는 추정치이며 공식 발표가 아닙니다.");
        assertThat(n.footerEn()).doesNotContain("Probability");
        assertThat(n.footerKo()).doesNotContain("확률");
    }

    @Test
    void the_expected_time_is_rounded_to_the_nearest_hour_and_its_day_named_from_the_forecasts_asOf() {
        assertThat(notices.write(headsUp(Forecasts.korea("2025-12-29T09:00:00+09:00", "2025-12-29T13:31:00+09:00"))).en())
                .startsWith("Korea's exports for 2025 are expected to pass $700 billion around 2 p.m. today, December 29 (KST).");
        assertThat(notices.write(headsUp(Forecasts.korea("2025-12-29T09:00:00+09:00", "2025-12-29T13:29:00+09:00"))).ko())
                .startsWith("2025년 한국의 수출액이 오늘(12월 29일) 오후 1시경 7,000억 달러를");
        // 11:45 p.m. is around midnight, on the next day.
        Notice later = notices.write(headsUp(Forecasts.korea("2025-12-28T09:00:00+09:00", "2025-12-30T23:45:00+09:00")));
        assertThat(later.en()).startsWith("Korea's exports for 2025 are expected to pass $700 billion around 12 a.m. on December 31 (KST).");
        assertThat(later.ko()).startsWith("2025년 한국의 수출액이 12월 31일 오전 12시경 7,000억 달러를");
        assertThat(later.subject()).endsWith("around 12 a.m., Dec 31, 2025 KST");
    }

    @Test
    void a_heads_up_for_other_totals_names_the_total_and_starts_with_a_capital() {
        OffsetDateTime at = OffsetDateTime.parse("2025-11-20T10:05:00+09:00");
        Notice sme = notices.write(headsUp(Forecasts.forecast(Dimension.EXPORTER_SIZE, "SME", "2025-11-19T17:00:00+09:00",
                List.of(Forecasts.threshold("120000000000.00", at, null, null, "0.88")))));
        assertThat(sme.en()).isEqualTo("The exports of Korea's small and medium-sized enterprises for 2025 are expected to pass"
                + " $120 billion around 10 a.m. tomorrow, November 20 (KST). This is an estimate, not an announcement.");
        assertThat(sme.subject()).startsWith("[Export Counter] Heads-up (estimate): Exports of Korea's small and medium-sized");
        Notice chips = notices.write(headsUp(Forecasts.forecast(Dimension.CATEGORY, "SEMICONDUCTORS", "2025-11-19T17:00:00+09:00",
                List.of(Forecasts.threshold("150000000000.00", at, null, null, null)))));
        assertThat(chips.en()).startsWith("Korea's exports of semiconductors for 2025 are expected to pass $150 billion");
        assertThat(chips.ko()).startsWith("2025년 한국의 반도체 수출액이 내일(11월 20일) 오전 10시경 1,500억 달러를 넘어설 것으로");
    }

    @Test
    void no_heads_up_says_null_or_leaves_a_gap_and_each_is_marked_as_an_estimate() {
        assertThat(notices.headsUpSamples()).hasSizeGreaterThanOrEqualTo(30);
        for (HeadsUp h : notices.headsUpSamples()) {
            Notice n = notices.write(h);
            for (String text : List.of(n.en(), n.ko(), n.subject(), n.footerEn(), n.footerKo())) {
                assertThat(text).as("%s", h).isNotBlank().doesNotContainIgnoringCase("null").doesNotContain("{")
                        .doesNotContain("}").doesNotContain("  ").doesNotContain(" .").doesNotContain(" ,")
                        .doesNotContain("()").isEqualTo(text.strip());
            }
            assertThat(n.en()).endsWith("This is an estimate, not an announcement.");
            assertThat(n.ko()).endsWith("이는 추정치이며 공식 발표가 아닙니다.");
            assertThat(n.subject()).contains("(estimate)");
            assertThat(n.en() + n.subject()).doesNotContainPattern("\\p{IsHangul}");
        }
    }

    @Test
    void edited_templates_without_the_heads_up_stop_the_start(@TempDir Path dir) throws Exception {
        try (var en = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/en.properties");
                var ko = NoticesTest.class.getResourceAsStream("/io/exportcounter/notifier/notices/ko.properties")) {
            Files.write(dir.resolve("en.properties"), new String(en.readAllBytes(), "UTF-8")
                    .replaceAll("(?m)^forecast\\.approaching=.*$", "").getBytes("UTF-8"));
            Files.write(dir.resolve("ko.properties"), ko.readAllBytes());
        }
        NotifierConfig config = NotifierConfig.defaults().with("notices.templates", dir.toString());

        assertThatThrownBy(() -> Notices.load(config))
                .isInstanceOf(NotifierConfigException.class)
                .hasMessageContaining("notices.templates").hasMessageContaining("en.properties")
                .hasMessageContaining("forecast.approaching");
    }

    private static HeadsUp headsUp(io.exportcounter.contract.Forecast f) {
        return new HeadsUp(f, f.thresholds().get(0));
    }
}
