package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A customs exchange rate: KRW per one unit of {@code currency}, in force from {@code validFrom} (section 3). */
public record ExchangeRate(String currency, BigDecimal krwPerUnit, OffsetDateTime validFrom) {
}
