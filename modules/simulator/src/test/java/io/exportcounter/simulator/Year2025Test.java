package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exportcounter.contract.ExportDeclaration;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default year (2025, 500,000 declarations) against the reference ledger and DOMAIN.md's figures. */
class Year2025Test {
    private static final long BILLION = 100_000_000_000L; // cents
    private static final long THRESHOLD = 700 * BILLION;
    private static final SimulatorOptions OPTIONS = SimulatorOptions.defaults();

    static DeclarationGenerator generator;
    static YearLedger ledger;

    @BeforeAll
    static void replay() {
        generator = DeclarationGenerator.create(OPTIONS);
        List<SimEvent> events = generator.stream().toList();
        ledger = YearLedger.replay(events::iterator, THRESHOLD);
    }

    @Test
    void every_record_keeps_the_contract_and_every_malformed_one_breaks_it() {
        assertThat(ledger.problems).isEmpty();
        assertThat(ledger.count(SimEvent.Kind.MALFORMED)).isPositive();
    }

    @Test
    void months_sum_to_the_calibration_to_the_cent() {
        long[] targets = generator.calibration().monthTargetsCents();
        assertThat(ledger.monthCents(2025)).containsExactly(targets);
        assertThat(ledger.finalTotal()).isEqualTo(7097 * BILLION / 10);
        // Non-USD declarations are part of it, converted with the week's rates.
        assertThat(ledger.currencies).containsKeys("USD", "EUR", "JPY", "CNY", "KRW");
        long nonUsd = ledger.currencies.entrySet().stream().filter(e -> !e.getKey().equals("USD")).mapToLong(Map.Entry::getValue).sum();
        assertThat(nonUsd / (double) OPTIONS.declarations()).isBetween(0.05, 0.20);
    }

    @Test
    void december_has_its_real_shape() {
        Instant dec1 = kst("2025-12-01T00:00:00");
        Instant dec21 = kst("2025-12-21T00:00:00");
        Instant crossing = kst("2025-12-29T13:03:27");
        assertThat(ledger.finalCents(kst("2025-01-01T00:00:00"), dec1)).isEqualTo(6402 * BILLION / 10);
        assertThat(ledger.finalCents(dec1, dec21)).isEqualTo(430 * BILLION / 10);
        // Dec 21 up to and including the crossing: $16.8B plus the half of the crossing declaration that takes it over.
        long toCrossing = ledger.finalCents(dec21, crossing.plusSeconds(1));
        assertThat(toCrossing).isEqualTo(168 * BILLION / 10 + generator.crossingDeclarationCents() / 2
                + generator.crossingDeclarationCents() % 2);
    }

    @Test
    void the_running_total_first_reaches_700_billion_at_1_03_pm_on_december_29() {
        YearLedger.Crossing c = ledger.crossing;
        assertThat(c).isNotNull();
        assertThat(c.event().kind()).isEqualTo(SimEvent.Kind.ACCEPT);
        assertThat(c.declaration().acceptedAt()).isEqualTo(OffsetDateTime.parse("2025-12-29T13:03:27+09:00"));
        assertThat(c.event().time()).isEqualTo(kst("2025-12-29T13:03:27"));
        assertThat(c.declaration().declarationId()).isEqualTo(generator.crossingDeclarationId());
        assertThat(c.totalAfter()).isBetween(THRESHOLD, THRESHOLD + 2 * generator.crossingDeclarationCents());
        // No later correction takes it back below.
        assertThat(ledger.minAfterCrossing).isGreaterThanOrEqualTo(THRESHOLD);
        assertThat(ledger.running).isEqualTo(7097 * BILLION / 10);
    }

    @Test
    void item_groups_match_domain_md() {
        Map<String, Double> s = ledger.shares("CATEGORY");
        double total = 709.7;
        assertThat(s.get("SEMICONDUCTORS")).isCloseTo(173.4 / total, within(0.025));
        assertThat(s.get("AUTOMOBILES")).isCloseTo(72.0 / total, within(0.02));
        assertThat(s.get("PETROLEUM_PRODUCTS")).isCloseTo(45.5 / total, within(0.015));
        assertThat(s.get("PETROCHEMICALS")).isCloseTo(42.5 / total, within(0.015));
        assertThat(s.get("SHIPS")).isCloseTo(32.0 / total, within(0.02));
        assertThat(s.get("STEEL")).isCloseTo(30.3 / total, within(0.015));
        assertThat(s.get("AGRI_FOOD")).isCloseTo(12.4 / total, within(0.008));
        assertThat(s.get("COSMETICS")).isCloseTo(11.4 / total, within(0.008));
        // Every item group of config/hs-categories.csv gets some, and OTHER the goods no rule covers.
        assertThat(s.keySet()).contains("GENERAL_MACHINERY", "WIRELESS_DEVICES", "COMPUTERS", "HOME_APPLIANCES",
                "DISPLAYS", "TEXTILES", "AUTO_PARTS", "SECONDARY_BATTERIES", "BIO_HEALTH", "ELECTRICAL_EQUIPMENT", "OTHER");
    }

    @Test
    void destinations_match_domain_md() {
        Map<String, Double> d = ledger.shares("DESTINATION");
        Map<String, Double> r = ledger.shares("REGION");
        assertThat(d.get("CN")).isCloseTo(0.185, within(0.02));
        assertThat(d.get("US")).isCloseTo(0.174, within(0.02));
        assertThat(r.get("ASEAN")).isCloseTo(0.173, within(0.02));
        assertThat(d.get("VN")).isGreaterThan(d.get("SG"));
        assertThat(r.get("EU")).isBetween(0.07, 0.13);
        assertThat(r.get("JAPAN")).isCloseTo(0.042, within(0.01));
        assertThat(r.get("LATIN_AMERICA")).isCloseTo(0.04, within(0.015));
        assertThat(r.get("INDIA")).isCloseTo(0.027, within(0.01));
        assertThat(r.get("MIDDLE_EAST")).isCloseTo(0.03, within(0.01));
    }

    @Test
    void exporters_are_many_and_smes_export_a_sixth() {
        Map<String, Double> size = ledger.shares("EXPORTER_SIZE");
        assertThat(size.get("SME")).isCloseTo(115.1 / 683.8, within(0.025));
        assertThat(size.get("LARGE")).isBetween(0.55, 0.75);
        assertThat(size.get("MIDSIZE")).isBetween(0.10, 0.25);
        Set<String> exporters = new HashSet<>();
        for (YearLedger.State s : ledger.ledger.values()) {
            if (s.declaration() != null) {
                exporters.add(s.declaration().exporterId());
                assertThat(Exporters.validBusinessNumber(s.declaration().exporterId())).as(s.declaration().exporterId()).isTrue();
            }
        }
        assertThat(exporters.size()).isBetween(30_000, 100_000);
    }

    @Test
    void values_are_heavy_tailed_and_codes_look_real() {
        Pattern id = Pattern.compile("\\d{5}-25-\\d{7}[0-9X]");
        long max = 0;
        long min = Long.MAX_VALUE;
        long over100m = 0;
        for (YearLedger.State s : ledger.ledger.values()) {
            if (s.declaration() == null) {
                continue;
            }
            ExportDeclaration d = s.declaration();
            assertThat(d.declarationId()).matches(id);
            assertThat(d.hsCode()).hasSize(10);
            max = Math.max(max, s.cents());
            min = Math.min(min, s.cents());
            over100m += s.cents() >= 10_000_000_000L ? 1 : 0;
        }
        assertThat(max).isGreaterThan(10_000_000_000L); // ships and plants: $100M+
        assertThat(over100m).isBetween(50L, 2_000L);
        assertThat(min).isLessThan(100_000L); // e-commerce parcels: a few hundred dollars
    }

    @Test
    void corrections_redeliveries_and_malformed_records_come_in_their_shares() {
        double declarations = ledger.count(SimEvent.Kind.ACCEPT);
        assertThat(declarations).isEqualTo(OPTIONS.declarations());
        assertThat(ledger.count(SimEvent.Kind.AMEND) / declarations).isCloseTo(OPTIONS.amendShare(), within(0.004));
        assertThat(ledger.count(SimEvent.Kind.CANCEL) / declarations).isCloseTo(OPTIONS.cancelShare(), within(0.002));
        double records = declarations + ledger.count(SimEvent.Kind.AMEND) + ledger.count(SimEvent.Kind.CANCEL);
        assertThat(ledger.count(SimEvent.Kind.REDELIVERY) / records).isCloseTo(OPTIONS.redeliveryShare(), within(0.001));
        assertThat(ledger.count(SimEvent.Kind.MALFORMED) / declarations).isCloseTo(OPTIONS.malformedShare(), within(0.0003));
    }

    @Test
    void weekly_rates_come_just_before_their_week_and_now_and_then_late() {
        // 53 weeks (Dec 29, 2024 to Dec 28, 2025) x USD, EUR, JPY, CNY
        assertThat(ledger.count(SimEvent.Kind.RATE)).isEqualTo(53 * 4);
        assertThat(ledger.rates.get("USD").firstKey()).isEqualTo(kst("2024-12-29T00:00:00").getEpochSecond());
        for (var perCurrency : ledger.rates.values()) {
            for (long sunday : perCurrency.keySet()) {
                assertThat(LocalDate.ofEpochDay((sunday + 9 * 3600) / 86_400).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
            }
        }
        assertThat(ledger.rates.get("USD").lastEntry().getValue().doubleValue()).isBetween(1350.0, 1600.0);
        assertThat(ledger.rates.get("EUR").lastEntry().getValue().doubleValue()).isBetween(1500.0, 1900.0);
        assertThat(ledger.rates.get("JPY").lastEntry().getValue().doubleValue()).isBetween(8.5, 10.5);
        assertThat(ledger.rates.get("CNY").lastEntry().getValue().doubleValue()).isBetween(180.0, 230.0);
        // Some declarations are accepted before their week's rate is out: they wait in the pipeline.
        assertThat(ledger.waitedForRate).isBetween(1L, OPTIONS.declarations() / 50L);
    }

    @Test
    void acceptances_bunch_at_month_end_but_not_at_year_end() {
        Map<LocalDate, Integer> perDay = new HashMap<>();
        for (YearLedger.State s : ledger.ledger.values()) {
            if (s.declaration() != null) {
                perDay.merge(s.declaration().acceptedAt().toLocalDate(), 1, Integer::sum);
            }
        }
        // A mid-month Wednesday against the last working day of the month.
        assertThat(perDay.get(LocalDate.of(2025, 6, 30))).isGreaterThan(perDay.get(LocalDate.of(2025, 6, 18)) * 3 / 2);
        // December's close is no rush (TradeCalendar): its last day runs like a mid-December Wednesday.
        int dec17 = perDay.get(LocalDate.of(2025, 12, 17));
        assertThat(perDay.get(LocalDate.of(2025, 12, 31))).isLessThan(perDay.get(LocalDate.of(2025, 6, 30)))
                .isBetween(dec17 * 2 / 3, dec17 * 3 / 2);
        assertThat(perDay.get(LocalDate.of(2025, 6, 15))).isLessThan(perDay.get(LocalDate.of(2025, 6, 18)) / 4); // a Sunday
    }

    static Instant kst(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+09:00").toInstant();
    }
}
