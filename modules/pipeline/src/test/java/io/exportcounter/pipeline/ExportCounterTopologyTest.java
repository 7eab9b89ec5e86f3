package io.exportcounter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.Rejection;
import io.exportcounter.contract.Total;
import io.exportcounter.pipeline.changes.ChangeEntry;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.metrics.PipelineStats.Outcome;
import io.exportcounter.testsupport.Decl;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every counting rule of CONTRACT.md sections 2-4 and 6, on the real topology with TopologyTestDriver. */
class ExportCounterTopologyTest {
    private final PipelineHarness pipeline = new PipelineHarness();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Nested
    class Counting {
        @Test
        void an_accepted_usd_declaration_counts_in_every_dimension_for_its_year_and_month() {
            pipeline.send(Decl.accept("D-1").amount("USD", "1250000.00")).flush();

            for (String period : List.of("2025", "2025-06")) {
                assertThat(pipeline.usd(period + "|NATIONAL|KR")).isEqualTo("1250000.00");
                assertThat(pipeline.usd(period + "|CATEGORY|SEMICONDUCTORS")).isEqualTo("1250000.00");
                assertThat(pipeline.usd(period + "|DESTINATION|US")).isEqualTo("1250000.00");
                assertThat(pipeline.usd(period + "|REGION|USA")).isEqualTo("1250000.00");
                assertThat(pipeline.usd(period + "|EXPORTER_SIZE|SME")).isEqualTo("1250000.00");
            }
            Total national = pipeline.total("2025|NATIONAL|KR");
            assertThat(national.declarations()).isEqualTo(1);
            assertThat(national.exporters()).isEqualTo(1);
            assertThat(national.asOf()).hasToString("2025-06-10T10:00+09:00");
            assertThat(pipeline.total("2025|CATEGORY|SEMICONDUCTORS").exporters()).isNull();
            assertThat(pipeline.stats.count(Outcome.COUNTED)).isEqualTo(1);
        }

        @Test
        void nothing_reaches_the_totals_before_the_flush() {
            pipeline.send(Decl.accept("D-1"));
            assertThat(pipeline.totals()).isEmpty();
            pipeline.flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1000.00");
        }

        @Test
        void totals_add_up_exactly_to_the_cent() {
            pipeline.send(Decl.accept("D-1").amount("USD", "0.10"))
                    .send(Decl.accept("D-2").amount("USD", "0.20"))
                    .send(Decl.accept("D-3").amount("USD", "999999999999.99"))
                    .flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1000000000000.29");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(3);
        }

        @Test
        void a_missing_exporter_size_counts_as_unknown() {
            Decl d = Decl.accept("D-1");
            d.exporterSize = null;
            pipeline.send(d).flush();
            assertThat(pipeline.usd("2025|EXPORTER_SIZE|UNKNOWN")).isEqualTo("1000.00");
        }

        @Test
        void an_hs_code_without_a_rule_counts_as_other() {
            pipeline.send(Decl.accept("D-1").hs("9999999999")).flush();
            assertThat(pipeline.usd("2025|CATEGORY|OTHER")).isEqualTo("1000.00");
        }
    }

    @Nested
    class Revisions {
        @Test
        void every_event_delivered_twice_counts_once() {
            Decl a = Decl.accept("D-1").amount("USD", "100.00");
            Decl b = Decl.accept("D-2").amount("USD", "200.00");
            Decl bAmended = b.amend(1).amount("USD", "250.00");
            String cancelA = Decl.cancel("D-1", 1);
            pipeline.send(a).send(b).send(bAmended).send("D-1", cancelA).flush();
            pipeline.send(a).send(b).send(bAmended).send("D-1", cancelA).flush();

            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("250.00");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(1);
            assertThat(pipeline.stats.count(Outcome.DUPLICATE)).isEqualTo(2);
            assertThat(pipeline.stats.count(Outcome.STALE)).isEqualTo(2);
        }

        @Test
        void a_later_change_of_a_declaration_is_placed_no_earlier_than_its_earlier_ones() {
            // Given a declaration accepted at 1:03 p.m., then amended to noon, then cancelled
            Decl d = Decl.accept("D-1").at("2025-12-29T13:03:00+09:00").amount("USD", "100.00");
            pipeline.send(d).send(d.amend(1).at("2025-12-29T12:00:00+09:00").amount("USD", "150.00"))
                    .send("D-1", Decl.cancel("D-1", 2)).flush();

            // Then stage 1 sends three changes, all placed at 1:03 p.m. with their revisions, so stage 2 cannot apply
            // the amendment to noon before the entry it amends
            Instant oneOhThree = Instant.parse("2025-12-29T04:03:00Z");
            List<ChangeEntry> changes = pipeline.changesSent();
            assertThat(changes).extracting(ChangeEntry::orderedAt).containsExactly(oneOhThree, oneOhThree, oneOhThree);
            assertThat(changes).extracting(ChangeEntry::revision).containsExactly(0, 1, 2);
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("0.00");
        }

        @Test
        void revision_2_before_revision_1_keeps_revision_2() {
            Decl original = Decl.accept("D-1").amount("USD", "100.00");
            pipeline.send(original)
                    .send(original.amend(2).amount("USD", "300.00"))
                    .send(original.amend(1).amount("USD", "200.00"))
                    .flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("300.00");
            assertThat(pipeline.stats.count(Outcome.STALE)).isEqualTo(1);
        }

        @Test
        void an_amend_moves_a_declaration_from_december_2025_to_january_2026() {
            Decl d = Decl.accept("D-1").at("2025-12-31T22:00:00+09:00").amount("USD", "500.00");
            pipeline.send(d).flush();
            assertThat(pipeline.usd("2025-12|NATIONAL|KR")).isEqualTo("500.00");

            pipeline.send(d.amend(1).at("2026-01-02T09:00:00+09:00")).flush();

            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("0.00");
            assertThat(pipeline.usd("2025-12|NATIONAL|KR")).isEqualTo("0.00");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isZero();
            assertThat(pipeline.total("2025|NATIONAL|KR").exporters()).isZero();
            assertThat(pipeline.usd("2026|NATIONAL|KR")).isEqualTo("500.00");
            assertThat(pipeline.usd("2026-01|NATIONAL|KR")).isEqualTo("500.00");
            assertThat(pipeline.usd("2026-01|DESTINATION|US")).isEqualTo("500.00");
        }

        @Test
        void an_amend_that_changes_destination_and_hs_code_moves_the_value_between_members() {
            Decl d = Decl.accept("D-1").to("US").hs("8542321010").amount("USD", "700.00");
            pipeline.send(d).flush();
            pipeline.send(d.amend(1).to("VN").hs("8703231010").amount("USD", "650.00")).flush();

            assertThat(pipeline.usd("2025|DESTINATION|US")).isEqualTo("0.00");
            assertThat(pipeline.usd("2025|REGION|USA")).isEqualTo("0.00");
            assertThat(pipeline.usd("2025|CATEGORY|SEMICONDUCTORS")).isEqualTo("0.00");
            assertThat(pipeline.usd("2025|DESTINATION|VN")).isEqualTo("650.00");
            assertThat(pipeline.usd("2025|REGION|ASEAN")).isEqualTo("650.00");
            assertThat(pipeline.usd("2025|CATEGORY|AUTOMOBILES")).isEqualTo("650.00");
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("650.00");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(1);
        }

        @Test
        void cancelling_an_amended_declaration_removes_everything_it_contributed() {
            Decl d = Decl.accept("D-1").amount("USD", "100.00");
            pipeline.send(Decl.accept("D-2").amount("USD", "1.00"));
            pipeline.send(d).send(d.amend(1).to("DE").amount("USD", "120.00")).flush();
            pipeline.send("D-1", Decl.cancel("D-1", 2)).flush();

            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1.00");
            assertThat(pipeline.usd("2025|DESTINATION|DE")).isEqualTo("0.00");
            assertThat(pipeline.usd("2025|REGION|EU")).isEqualTo("0.00");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(1);
            assertThat(pipeline.stats.count(Outcome.CANCELLED)).isEqualTo(1);
        }

        @Test
        void a_cancel_for_a_declaration_never_seen_is_remembered_so_a_late_accept_does_not_count() {
            pipeline.send("D-1", Decl.cancel("D-1", 1)).send(Decl.accept("D-1").rev(0)).flush();
            assertThat(pipeline.total("2025|NATIONAL|KR")).isNull();
        }
    }

    @Nested
    class Periods {
        @ParameterizedTest(name = "a declaration at {0} counts for {1} and {2} in Korea, not for {3}")
        @CsvSource({
                "2025-12-31T15:30:00Z,      2026, 2026-01, 2025", // 00:30 on January 1 in Korea
                "2025-12-31T23:59:59+09:00, 2025, 2025-12, 2026", // just before midnight on December 31 in Korea
        })
        void a_declaration_counts_for_the_year_and_month_of_its_acceptance_in_korea(String acceptedAt, String year,
                String month, String otherYear) {
            pipeline.send(Decl.accept("D-1").at(acceptedAt)).flush();
            assertThat(pipeline.usd(year + "|NATIONAL|KR")).isEqualTo("1000.00");
            assertThat(pipeline.usd(month + "|NATIONAL|KR")).isEqualTo("1000.00");
            assertThat(pipeline.total(otherYear + "|NATIONAL|KR")).isNull();
        }

        @Test
        void the_reporting_zone_comes_from_config() {
            try (PipelineHarness utc = new PipelineHarness(PipelineConfig.defaults()
                    .with("streams.bootstrap.servers", "unused:9092").with("reporting.zone", "UTC"))) {
                utc.send(Decl.accept("D-1").at("2026-01-01T05:00:00+09:00")).flush();
                assertThat(utc.usd("2025|NATIONAL|KR")).isEqualTo("1000.00");
                assertThat(utc.total("2025|NATIONAL|KR").asOf()).hasToString("2025-12-31T20:00Z");
            }
        }
    }

    @Nested
    class ExchangeRates {
        @Test
        void eur_on_saturday_23_59_59_and_sunday_00_00_kst_use_the_rates_of_their_own_weeks() {
            pipeline.rate("USD", "1450.00", "2025-12-21T00:00:00+09:00")
                    .rate("EUR", "1500.00", "2025-12-21T00:00:00+09:00")
                    .rate("USD", "1460.00", "2025-12-28T00:00:00+09:00")
                    .rate("EUR", "1523.45", "2025-12-28T00:00:00+09:00");
            pipeline.send(Decl.accept("SAT").at("2025-12-27T23:59:59+09:00").to("DE").amount("EUR", "1000.00"))
                    .send(Decl.accept("SUN").at("2025-12-28T00:00:00+09:00").to("FR").amount("EUR", "1000.00"))
                    .flush();
            // 1000 x 1500 / 1450 = 1034.4827... and 1000 x 1523.45 / 1460 = 1043.4589...
            assertThat(pipeline.usd("2025|DESTINATION|DE")).isEqualTo("1034.48");
            assertThat(pipeline.usd("2025|DESTINATION|FR")).isEqualTo("1043.46");
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("2077.94");
        }

        @Test
        void a_jpy_declaration_that_arrives_before_its_rate_waits_and_is_counted_when_the_rate_arrives() {
            pipeline.rate("USD", "1380.00", "2025-06-08T00:00:00+09:00");
            pipeline.send(Decl.accept("D-JPY").amount("JPY", "1000000")).flush();

            assertThat(pipeline.total("2025|NATIONAL|KR")).isNull();
            assertThat(pipeline.stats.waitingNow()).isEqualTo(1);
            assertThat(pipeline.stats.count(Outcome.WAITING_FOR_RATE)).isEqualTo(1);

            pipeline.rate("JPY", "9.5", "2025-06-08T00:00:00+09:00").flush();

            // 1,000,000 x 9.5 / 1380 = 6884.0579...
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("6884.06");
            assertThat(pipeline.stats.waitingNow()).isZero();
            assertThat(pipeline.stats.count(Outcome.RELEASED_FROM_WAITING)).isEqualTo(1);
        }

        @Test
        void a_rate_from_another_week_is_never_used() {
            pipeline.rate("USD", "1380.00", "2025-06-01T00:00:00+09:00")
                    .rate("EUR", "1500.00", "2025-06-01T00:00:00+09:00");
            // Tuesday of the following week: last week's rates have expired.
            pipeline.send(Decl.accept("D-1").at("2025-06-10T10:00:00+09:00").amount("EUR", "100.00")).flush();
            assertThat(pipeline.total("2025|NATIONAL|KR")).isNull();
            assertThat(pipeline.stats.waitingNow()).isEqualTo(1);

            pipeline.rate("USD", "1400.00", "2025-06-08T00:00:00+09:00").flush();
            assertThat(pipeline.total("2025|NATIONAL|KR")).as("EUR rate of the week still missing").isNull();

            pipeline.rate("EUR", "1540.00", "2025-06-08T00:00:00+09:00").flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("110.00");
        }

        @Test
        void a_late_rate_of_an_earlier_week_arrives_out_of_order() {
            pipeline.rate("USD", "1400.00", "2025-06-08T00:00:00+09:00")
                    .rate("USD", "1300.00", "2025-06-01T00:00:00+09:00");
            pipeline.send(Decl.accept("D-1").at("2025-06-03T10:00:00+09:00").amount("KRW", "1300000")).flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1000.00");
        }

        @Test
        void a_corrected_rate_for_the_same_week_applies_to_declarations_not_yet_counted_only() {
            pipeline.rate("USD", "1000.00", "2025-06-08T00:00:00+09:00");
            pipeline.send(Decl.accept("D-1").amount("KRW", "1000000")).flush();
            pipeline.rate("USD", "2000.00", "2025-06-08T00:00:00+09:00");
            pipeline.send(Decl.accept("D-2").amount("KRW", "1000000")).flush();
            // D-1 keeps 1000.00; D-2 uses the corrected rate: 500.00.
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1500.00");
        }

        @Test
        void each_declaration_is_rounded_half_even_to_the_cent_before_it_is_added() {
            pipeline.rate("USD", "1000", "2025-06-08T00:00:00+09:00");
            // 2905 KRW = 2.905 USD -> 2.90 each; rounding the sum instead would give 5.81.
            pipeline.send(Decl.accept("D-1").amount("KRW", "2905"))
                    .send(Decl.accept("D-2").amount("KRW", "2905"))
                    .send(Decl.accept("D-3").to("JP").amount("KRW", "2915"))
                    .flush();
            assertThat(pipeline.usd("2025|DESTINATION|US")).isEqualTo("5.80");
            assertThat(pipeline.usd("2025|DESTINATION|JP")).isEqualTo("2.92");
        }

        @Test
        void an_invalid_rate_is_rejected_and_not_used() {
            pipeline.rate("USD", "0", "2025-06-08T00:00:00+09:00");
            pipeline.send(Decl.accept("D-1").amount("KRW", "1000")).flush();
            assertThat(pipeline.total("2025|NATIONAL|KR")).isNull();
            List<Rejection> r = pipeline.rejections();
            assertThat(r).singleElement().satisfies(x -> {
                assertThat(x.field()).isEqualTo("krwPerUnit");
                assertThat(x.sourceTopic()).isEqualTo("customs.exchange-rates");
            });
        }
    }

    @Nested
    class Exporters {
        @Test
        void distinct_exporters_move_only_when_an_exporter_gains_its_first_or_loses_its_last_live_declaration() {
            pipeline.send(Decl.accept("D-1").exporter("E1", "SME"))
                    .send(Decl.accept("D-2").exporter("E1", "SME"))
                    .send(Decl.accept("D-3").exporter("E2", "LARGE"))
                    .flush();
            assertThat(pipeline.total("2025|NATIONAL|KR").exporters()).isEqualTo(2);
            assertThat(pipeline.total("2025-06|NATIONAL|KR").exporters()).isEqualTo(2);
            assertThat(pipeline.total("2025|EXPORTER_SIZE|SME").exporters()).isEqualTo(1);
            assertThat(pipeline.total("2025|EXPORTER_SIZE|LARGE").exporters()).isEqualTo(1);

            pipeline.send("D-1", Decl.cancel("D-1", 1)).flush();
            assertThat(pipeline.total("2025|NATIONAL|KR").exporters()).isEqualTo(2);

            pipeline.send("D-2", Decl.cancel("D-2", 1)).flush();
            assertThat(pipeline.total("2025|NATIONAL|KR").exporters()).isEqualTo(1);
            assertThat(pipeline.total("2025|EXPORTER_SIZE|SME").exporters()).isZero();
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(1);
        }
    }

    @Nested
    class BadInput {
        @Test
        void invalid_records_go_to_the_rejected_topic_with_field_and_reason_and_count_nothing() {
            Object[][] bad = {
                    {"D-1", "{\"declarationId\":\"D-1\",", null},
                    {"D-2", "not json at all", null},
                    {"D-3", Decl.accept("D-3").amount("USD", "0").json(), "fobAmount"},
                    {"D-4", Decl.accept("D-4").amount("USD", "-5.00").json(), "fobAmount"},
                    {"D-5", Decl.accept("D-5").amount("USD", "1e3").json(), "fobAmount"},
                    {"D-6", Decl.accept("D-6").amount("usd", "1.00").json(), "currency"},
                    {"D-7", Decl.accept("D-7").to("ZZ").json(), "destination"},
                    {"D-8", Decl.accept("D-8").hs("85423").json(), "hsCode"},
                    {"D-9", Decl.accept("D-9").at("2025-06-10T10:00:00").json(), "acceptedAt"},
                    {"D-10", Decl.accept("D-10").rev(-1).json(), "revision"},
                    {"D-11", Decl.accept("D-11").action("SHIP").json(), "action"},
                    {"D-12", Decl.accept("D-12").amount("USD", "1234567890123456.00").json(), "fobAmount"},
                    {"D-13", Decl.accept("D-13").amount("USD", "1.00001").json(), "fobAmount"},
                    {"D-14", "{\"revision\":0,\"action\":\"CANCEL\"}", "declarationId"},
                    {"OTHER-KEY", Decl.accept("D-15").json(), "declarationId"},
            };
            for (Object[] b : bad) {
                pipeline.send((String) b[0], (String) b[1]);
            }
            pipeline.sendBytes("D-16", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            pipeline.send(Decl.accept("GOOD").amount("USD", "42.00")).flush();

            List<Rejection> rejections = pipeline.rejections();
            assertThat(rejections).hasSize(bad.length + 1);
            for (int i = 0; i < bad.length; i++) {
                Rejection r = rejections.get(i);
                assertThat(r.key()).isEqualTo(bad[i][0]);
                assertThat(r.field()).as("field for %s", bad[i][1]).isEqualTo(bad[i][2]);
                assertThat(r.reason()).isNotBlank();
                assertThat(r.value()).isEqualTo(bad[i][1]);
                assertThat(r.sourceTopic()).isEqualTo("customs.export-declarations");
                assertThat(r.offset()).isEqualTo(i);
            }
            Rejection notUtf8 = rejections.get(bad.length);
            assertThat(notUtf8.value()).isNull();
            assertThat(notUtf8.valueBase64()).isEqualTo("e8MofQ==");

            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("42.00");
            assertThat(pipeline.total("2025|NATIONAL|KR").declarations()).isEqualTo(1);
            assertThat(pipeline.stats.count(Outcome.REJECTED)).isEqualTo(bad.length + 1);
        }

        @Test
        void a_rejection_is_stamped_with_the_time_it_was_rejected_not_the_declarations_acceptance() {
            // The rejected topic has time-based retention: a timestamp of last year would get it deleted.
            pipeline.send(Decl.accept("D-1").at("2024-01-05T10:00:00+09:00").amount("USD", "0")).flush();
            Rejection r = pipeline.rejections().get(0);
            assertThat(pipeline.rejectedTimestamps.get(0)).isEqualTo(r.rejectedAt().toEpochMilli())
                    .isGreaterThanOrEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        }

        @Test
        void a_valid_cancel_with_only_its_three_fields_is_applied() {
            pipeline.send(Decl.accept("D-1")).flush();
            pipeline.send("D-1", "{\"declarationId\":\"D-1\",\"revision\":1,\"action\":\"CANCEL\"}").flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("0.00");
            assertThat(pipeline.rejections()).isEmpty();
        }

        @Test
        void unknown_extra_fields_are_ignored() {
            String json = Decl.accept("D-1").json().replace("}", ",\"customsOffice\":\"020\",\"transport\":{\"mode\":\"SEA\"}}");
            pipeline.send("D-1", json).flush();
            assertThat(pipeline.usd("2025|NATIONAL|KR")).isEqualTo("1000.00");
        }
    }
}
