package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimeTest {

    @Test
    void formatMatchesIsoOffsetDateTimeAndParsesBack() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            OffsetDateTime t = OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(random.nextLong() % 200_000_000_000L + 60_000_000_000L, nano),
                    ZoneOffset.ofTotalSeconds(random.nextInt(4) == 0 ? random.nextInt(64801) - 32400
                            : (random.nextInt(37) - 18) * 1800));
            if (t.getYear() < 0 || t.getYear() > 9999) {
                continue;
            }
            String text = IsoTime.format(t);
            assertThat(text).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
            assertThat(IsoTime.parse(text)).isEqualTo(t);
        }
    }

    @Test
    void parsesWhatIsoOffsetDateTimeParses() {
        for (String s : new String[]{"2025-12-29T13:03+09:00", "2025-12-29T13:03:27-00:00",
                "2025-12-29T13:03:27.1+05:45", "0001-01-01T00:00:00+18:00", "2024-02-29T23:59:59.999999999-18:00",
                "2025-12-29T13:03:27+09:00:30"}) {
            assertThat(IsoTime.parse(s)).as(s).isEqualTo(OffsetDateTime.parse(s));
        }
    }

    @Test
    void explainsWhatIsMissing() {
        assertThatThrownBy(() -> IsoTime.parse("2025-12-29")).hasMessage(IsoTime.DATE_ONLY);
        assertThatThrownBy(() -> IsoTime.parse("2025-12-29T13:03:27.5")).hasMessage(IsoTime.NO_OFFSET);
        for (String s : new String[]{"", "2025", "2025-12-29T", "2025-12-29T13", "2025-12-29T13:03:27+0900",
                "2025-12-29T13:03:27+9:00", "2025-12-29T13:03:27.+09:00", "+2025-12-29T13:03:27Z", "2025-1-29T13:03Z",
                "2025-12-29T13:03:27Z ", "2025-12-29T13:03:27ZZ", "２０２５-12-29T13:03:27Z"}) {
            assertThatThrownBy(() -> IsoTime.parse(s)).as(s).isInstanceOf(DateTimeException.class)
                    .hasMessage(IsoTime.MALFORMED);
        }
    }

    @Test
    void utcMillisAlwaysHasThreeDigits() {
        assertThat(IsoTime.formatUtcMillis(Instant.parse("2025-12-29T04:03:27Z"))).isEqualTo("2025-12-29T04:03:27.000Z");
        assertThat(IsoTime.formatUtcMillis(Instant.parse("2025-12-29T04:03:27.4Z"))).isEqualTo("2025-12-29T04:03:27.400Z");
        assertThat(IsoTime.formatUtcMillis(Instant.parse("1969-12-31T23:59:59.999999Z")))
                .isEqualTo("1969-12-31T23:59:59.999Z");
    }
}
