package io.exportcounter.contract;

import static io.exportcounter.contract.Fixtures.text;
import static io.exportcounter.contract.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Byte-for-byte stability: canonical bytes survive parse + write, and write output is canonical. */
class RoundTripTest {

    private final ContractJson json = ContractJson.instance();

    // ------------------------------------------------------------------ the contract's own examples

    @Test
    void declarationExampleRoundTripsExactly() throws Exception {
        assertThat(text(json.write(json.parseDeclaration(utf8(Fixtures.DECLARATION))))).isEqualTo(Fixtures.DECLARATION);
    }

    @Test
    void rateExampleRoundTripsExactly() throws Exception {
        assertThat(text(json.write(json.parseExchangeRate(utf8(Fixtures.RATE))))).isEqualTo(Fixtures.RATE);
    }

    @Test
    void totalExampleRoundTripsExactly() throws Exception {
        Total t = json.parseTotal(utf8(Fixtures.TOTAL));
        assertThat(t).isEqualTo(new Total("2025", Dimension.CATEGORY, "SEMICONDUCTORS",
                new BigDecimal("173456789012.34"), 123456, OffsetDateTime.parse("2025-12-29T13:03:27+09:00"), null));
        assertThat(text(json.write(t))).isEqualTo(Fixtures.TOTAL);
    }

    @Test
    void milestoneExampleRoundTripsExactly() throws Exception {
        Milestone m = json.parseMilestone(utf8(Fixtures.MILESTONE));
        assertThat(m).isEqualTo(new Milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD,
                MilestoneType.CROSSED, "2025", Dimension.NATIONAL, "KR", new BigDecimal("700000000000.00"),
                new BigDecimal("700000001234.56"), OffsetDateTime.parse("2025-12-29T13:03:27+09:00"), "1:03 p.m.",
                "43210-25-0123456X", Instant.parse("2025-12-29T04:03:27.412Z"), true));
        assertThat(text(json.write(m))).isEqualTo(Fixtures.MILESTONE);
    }

    @Test
    void v2MilestoneFieldsRoundTripAndAreAbsentWhereTheyDoNotApply() throws Exception {
        Milestone ytd = new Milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS",
                MilestoneKind.YEAR_TO_DATE_RECORD, MilestoneType.CROSSED, "2025-Q3", Dimension.EXPORTER_SIZE, "SME",
                new BigDecimal("80000000000.00"), new BigDecimal("85000000000.00"),
                OffsetDateTime.parse("2025-10-01T00:00:00+09:00"), "12:00 a.m.", null,
                Instant.parse("2025-10-01T00:00:01.000Z"), true,
                new Milestone.Story(null, null, null, null, "2024-Q3", "2018", null, RecordMeasure.EXPORTERS, 71204L, 69850L));
        assertThat(json.parseMilestone(json.write(ytd))).isEqualTo(ytd);
        Milestone first = new Milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD, MilestoneType.CROSSED,
                "2025", Dimension.NATIONAL, "KR", new BigDecimal("700000000000.00"), new BigDecimal("700000001234.56"),
                OffsetDateTime.parse("2025-12-29T13:03:27+09:00"), "1:03 p.m.", "43210-25-0123456X",
                Instant.parse("2025-12-29T04:03:27.412Z"), true,
                Milestone.Story.threshold(true, null, new BigDecimal("600000000000.00"), "2018").withSince("1992"));
        String text = text(json.write(first));
        assertThat(text).contains("\"firstTime\":true", "\"previousThresholdUsd\":\"600000000000.00\"",
                "\"previousThresholdFirstReached\":\"2018\"").doesNotContain("firstReached\":", "streak", "null");
        assertThat(json.parseMilestone(json.write(first))).isEqualTo(first);
        byte[] badQuarter = utf8(text(json.write(ytd)).replace("\"period\":\"2025-Q3\"", "\"period\":\"2025-Q5\""));
        assertThatThrownBy(() -> json.parseMilestone(badQuarter))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("period");
    }

    @Test
    void rejectionExampleRoundTripsExactly() throws Exception {
        Rejection r = json.parseRejection(utf8(Fixtures.REJECTION));
        assertThat(r).isEqualTo(new Rejection("fobAmount must be a positive decimal", "fobAmount",
                "customs.export-declarations", 3, 81723, "43210-25-0123456X", "{...the original record as text...}",
                null, Instant.parse("2025-12-29T04:03:27.412Z")));
        assertThat(text(json.write(r))).isEqualTo(Fixtures.REJECTION);
    }

    @Test
    void prettyPrintedContractExamplesWriteBackCompact() throws Exception {
        String pretty = """
                {
                  "declarationId": "43210-25-0123456X",
                  "revision": 0,
                  "action": "ACCEPT",
                  "acceptedAt": "2025-12-29T13:03:27+09:00",
                  "exporterId": "1208812345",
                  "exporterSize": "SME",
                  "hsCode": "8542321010",
                  "destination": "US",
                  "currency": "USD",
                  "fobAmount": "1250000.00"
                }
                """;
        String prettyRate = "{\"currency\": \"EUR\", \"krwPerUnit\": \"1523.45\", \"validFrom\": \"2025-12-28T00:00:00+09:00\"}";

        assertThat(text(json.write(json.parseDeclaration(utf8(pretty))))).isEqualTo(Fixtures.DECLARATION);
        assertThat(text(json.write(json.parseExchangeRate(utf8(prettyRate))))).isEqualTo(Fixtures.RATE);
    }

    // ------------------------------------------------------------------ writer specifics

    @Test
    void cancelIsWrittenWithItsThreeFieldsOnly() {
        assertThat(text(json.write(ExportDeclaration.cancel("43210-25-0123456X", 4))))
                .isEqualTo("{\"declarationId\":\"43210-25-0123456X\",\"revision\":4,\"action\":\"CANCEL\"}");
    }

    @Test
    void unknownExporterSizeIsLeftOut() throws Exception {
        ExportDeclaration d = json.parseDeclaration(Fixtures.declaration().without("exporterSize").bytes());
        String written = text(json.write(d));

        assertThat(written).doesNotContain("exporterSize")
                .isEqualTo(Fixtures.declaration().without("exporterSize").json());
    }

    @Test
    void dateTimesKeepTheirOffsetAndOnlyRealFractions() {
        ExportDeclaration base = declaration(OffsetDateTime.of(2025, 12, 29, 13, 3, 0, 0, ZoneOffset.ofHours(9)));
        assertThat(text(json.write(base))).contains("\"acceptedAt\":\"2025-12-29T13:03:00+09:00\"");

        ExportDeclaration utc = declaration(OffsetDateTime.of(2025, 12, 29, 4, 3, 27, 500_000_000, ZoneOffset.UTC));
        assertThat(text(json.write(utc))).contains("\"acceptedAt\":\"2025-12-29T04:03:27.5Z\"");

        ExportDeclaration nanos = declaration(OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 1, ZoneOffset.ofHours(-5)));
        assertThat(text(json.write(nanos))).contains("\"acceptedAt\":\"2025-01-02T03:04:05.000000001-05:00\"");
    }

    @Test
    void processingTimesAreUtcWithMilliseconds() {
        Rejection r = new Rejection("record is empty", null, "t", 0, 1, null, null, null,
                Instant.parse("2025-12-29T04:03:27Z"));
        assertThat(text(json.write(r))).contains("\"rejectedAt\":\"2025-12-29T04:03:27.000Z\"")
                .contains("\"key\":null,\"value\":null,\"valueBase64\":null");

        Rejection fine = new Rejection("x", null, "t", 0, 1, null, null, null,
                Instant.parse("2025-12-29T04:03:27.412999999Z"));
        assertThat(text(json.write(fine))).contains("\"rejectedAt\":\"2025-12-29T04:03:27.412Z\"");
    }

    @Test
    void totalsWriteMoneyWithScaleTwoAndExportersOnlyWhenKnown() {
        Total national = new Total("2025-11", Dimension.NATIONAL, "KR", new BigDecimal("61040000000"), 3, null, 70123L);
        assertThat(text(json.write(national))).isEqualTo("{\"period\":\"2025-11\",\"dimension\":\"NATIONAL\","
                + "\"member\":\"KR\",\"totalUsd\":\"61040000000.00\",\"declarations\":3,\"asOf\":null,"
                + "\"exporters\":70123}");

        Total lossy = new Total("2025", Dimension.NATIONAL, "KR", new BigDecimal("1.005"), 1, null, null);
        assertThatThrownBy(() -> json.write(lossy)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void textIsWrittenAsUtf8NotEscaped() throws Exception {
        ExportDeclaration d = json.parseDeclaration(Fixtures.declaration().str("exporterId", "삼성 😀").bytes());
        assertThat(json.write(d)).isEqualTo(utf8(Fixtures.declaration().str("exporterId", "삼성 😀").json()));
    }

    // ------------------------------------------------------------------ generated records

    @Test
    void generatedRecordsAreStableAcrossWriteParseWrite() throws Exception {
        Random random = new Random(42);
        List<String> currencies = List.of("USD", "EUR", "JPY", "CNY", "VND", "KRW");
        List<String> countries = List.of("US", "CN", "VN", "DE", "MX", "JP");
        for (int i = 0; i < 2_000; i++) {
            OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1 << 30),
                            random.nextBoolean() ? 0 : random.nextInt(1_000_000_000)),
                    ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800));
            ExportDeclaration d = new ExportDeclaration("D-" + random.nextInt(1_000_000), random.nextInt(Integer.MAX_VALUE),
                    random.nextBoolean() ? Action.ACCEPT : Action.AMEND, at, "EXP" + random.nextInt(99999),
                    ExporterSize.values()[random.nextInt(4)], String.valueOf(100000 + random.nextInt(900000)),
                    countries.get(random.nextInt(countries.size())), currencies.get(random.nextInt(currencies.size())),
                    BigDecimal.valueOf(1 + random.nextInt(Integer.MAX_VALUE), random.nextInt(5)));
            byte[] once = json.write(d);
            ExportDeclaration parsed = json.parseDeclaration(once);
            assertThat(parsed).isEqualTo(d);
            assertThat(json.write(parsed)).isEqualTo(once);

            ExchangeRate rate = new ExchangeRate(currencies.get(random.nextInt(currencies.size() - 1)),
                    BigDecimal.valueOf(1 + random.nextInt(Integer.MAX_VALUE), random.nextInt(9)), at);
            byte[] rateOnce = json.write(rate);
            assertThat(json.parseExchangeRate(rateOnce)).isEqualTo(rate);
            assertThat(json.write(json.parseExchangeRate(rateOnce))).isEqualTo(rateOnce);

            Total total = new Total(random.nextBoolean() ? "2025" : "2025-0" + (1 + random.nextInt(9)),
                    Dimension.values()[random.nextInt(5)], "M" + i, BigDecimal.valueOf(random.nextLong() >>> 8, 2),
                    random.nextInt(1_000_000), random.nextBoolean() ? null : at,
                    random.nextBoolean() ? null : (long) random.nextInt(100_000));
            byte[] totalOnce = json.write(total);
            assertThat(json.parseTotal(totalOnce)).isEqualTo(total);
            assertThat(json.write(json.parseTotal(totalOnce))).isEqualTo(totalOnce);

            Milestone milestone = new Milestone("2025|NATIONAL|KR|" + i, MilestoneKind.values()[random.nextInt(2)],
                    MilestoneType.values()[random.nextInt(2)], "2025", Dimension.NATIONAL, "KR",
                    BigDecimal.valueOf(random.nextLong() >>> 8, 2), BigDecimal.valueOf(random.nextLong() >>> 8, 2),
                    at, ReportingTime.englishClock(at.toLocalTime()), "D-" + i,
                    Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(Integer.MAX_VALUE)), random.nextBoolean());
            byte[] milestoneOnce = json.write(milestone);
            assertThat(json.parseMilestone(milestoneOnce)).isEqualTo(milestone);
            assertThat(json.write(json.parseMilestone(milestoneOnce))).isEqualTo(milestoneOnce);
        }
    }

    @Test
    void rejectionOfARealFailureRoundTrips() throws Exception {
        byte[] value = {'{', (byte) 0xC3, '}'};
        InvalidRecordException e = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidRecordException.class,
                () -> json.parseDeclaration(value));
        Rejection r = Rejections.of(e, "customs.export-declarations", 1, 2L, utf8("k-1"), value,
                Instant.parse("2025-12-29T04:03:27.412Z"));

        byte[] once = json.write(r);
        assertThat(json.parseRejection(once)).isEqualTo(r);
        assertThat(json.write(json.parseRejection(once))).isEqualTo(once);
        assertThat(text(once)).contains("\"value\":null,\"valueBase64\":\"e8N9\"");
    }

    private static ExportDeclaration declaration(OffsetDateTime acceptedAt) {
        return new ExportDeclaration("X-1", 0, Action.ACCEPT, acceptedAt, "E1", ExporterSize.UNKNOWN, "854232", "US",
                "USD", new BigDecimal("1.00"));
    }
}
