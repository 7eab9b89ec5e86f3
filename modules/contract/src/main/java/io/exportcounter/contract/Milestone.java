package io.exportcounter.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A milestone event (CONTRACT.md section 5). {@link #story} holds the v2 fields that put it in its history
 * (first time, the record it beat, the streak); {@link Story#NONE} where none applies.
 */
public record Milestone(
        String milestoneId,
        MilestoneKind kind,
        MilestoneType type,
        String period,
        Dimension dimension,
        String member,
        BigDecimal thresholdUsd,
        BigDecimal totalUsd,
        OffsetDateTime crossedAt,
        String crossedAtLocalTime,
        String declarationId,
        Instant detectedAt,
        boolean provisional,
        Story story) {

    public Milestone {
        story = story == null ? Story.NONE : story;
    }

    /** A milestone with the v1 fields only. */
    public Milestone(String milestoneId, MilestoneKind kind, MilestoneType type, String period, Dimension dimension,
            String member, BigDecimal thresholdUsd, BigDecimal totalUsd, OffsetDateTime crossedAt,
            String crossedAtLocalTime, String declarationId, Instant detectedAt, boolean provisional) {
        this(milestoneId, kind, type, period, dimension, member, thresholdUsd, totalUsd, crossedAt, crossedAtLocalTime,
                declarationId, detectedAt, provisional, Story.NONE);
    }

    /** The same milestone with another story. */
    public Milestone withStory(Story newStory) {
        return new Milestone(milestoneId, kind, type, period, dimension, member, thresholdUsd, totalUsd, crossedAt,
                crossedAtLocalTime, declarationId, detectedAt, provisional, newStory);
    }

    /**
     * What a press office says about a crossing (contract v2); each field null where it does not apply.
     *
     * @param firstTime                     THRESHOLD: no earlier year on record reached the threshold
     * @param firstReached                  THRESHOLD: the earliest year on record that reached it, when not the first time
     * @param previousThresholdUsd          THRESHOLD: the next lower configured threshold of the same total
     * @param previousThresholdFirstReached THRESHOLD: the first year on record that reached that one
     * @param recordPeriod                  records: the period that held the record until now ("2024", "2024-06", "2024-Q3")
     * @param since                         records: the first year the comparison covers
     * @param streak                        CALENDAR_MONTH_RECORD: consecutive calendar-month records up to this month
     * @param measure                       YEAR_TO_DATE_RECORD: what is compared
     * @param exporters                     YEAR_TO_DATE_RECORD EXPORTERS: the distinct exporters year to date
     * @param previousBestExporters         YEAR_TO_DATE_RECORD EXPORTERS: the record it beat
     */
    public record Story(
            Boolean firstTime,
            String firstReached,
            BigDecimal previousThresholdUsd,
            String previousThresholdFirstReached,
            String recordPeriod,
            String since,
            Integer streak,
            RecordMeasure measure,
            Long exporters,
            Long previousBestExporters) {

        public static final Story NONE = new Story(null, null, null, null, null, null, null, null, null, null);

        /** The same story, with {@code since}. */
        public Story withSince(String newSince) {
            return new Story(firstTime, firstReached, previousThresholdUsd, previousThresholdFirstReached, recordPeriod,
                    newSince, streak, measure, exporters, previousBestExporters);
        }

        /** The same story, with {@code streak}. */
        public Story withStreak(int newStreak) {
            return new Story(firstTime, firstReached, previousThresholdUsd, previousThresholdFirstReached, recordPeriod,
                    since, newStreak, measure, exporters, previousBestExporters);
        }

        /** A threshold's place in its history. */
        public static Story threshold(Boolean firstTime, String firstReached, BigDecimal previousThresholdUsd,
                String previousThresholdFirstReached) {
            return new Story(firstTime, firstReached, previousThresholdUsd, previousThresholdFirstReached, null, null,
                    null, null, null, null);
        }

        /** A record beaten: the period that held it and the first year compared. */
        public static Story record(String recordPeriod, String since) {
            return new Story(null, null, null, null, recordPeriod, since, null, null, null, null);
        }
    }
}
