package io.exportcounter.pipeline.forecast;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Forecasts annual totals (CONTRACT.md section 5b): where the year will end and when its thresholds will fall,
 * from what the pipeline counted this year, the history on record and the calendar. Pure Java, no Kafka:
 * stage 2 keeps a {@link CountedYear} per total and asks for a {@link Forecast} when it wants one. Thread-safe
 * (each call works on its own copies); the method and its assumptions are in docs/forecast.md.
 */
public final class Forecaster {
    private final HolidayCalendar holidays;
    private final ZoneId zone;

    /**
     * @param holidays the public holidays of the reporting country ({@link HolidayCalendar#packaged()})
     * @param zone     the reporting zone (days, months and years are those of this zone)
     */
    public Forecaster(HolidayCalendar holidays, ZoneId zone) {
        this.holidays = Objects.requireNonNull(holidays, "holidays");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public HolidayCalendar holidays() {
        return holidays;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The calendar of {@code year} in the reporting zone. */
    public YearCalendar calendar(int year) {
        return holidays.yearCalendar(year, zone);
    }

    /** An empty series for {@code year}, to count into. */
    public CountedYear newCountedYear(int year) {
        return new CountedYear(calendar(year));
    }

    public Forecast forecast(ForecastRequest request) {
        if (!request.counted().calendar().zone().equals(zone)) {
            throw new IllegalArgumentException("the counted year is in zone " + request.counted().calendar().zone()
                    + ", the forecaster in " + zone);
        }
        return new ForecastRun(this, request).run();
    }
}
