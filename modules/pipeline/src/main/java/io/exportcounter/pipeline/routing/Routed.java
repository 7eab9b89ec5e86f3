package io.exportcounter.pipeline.routing;

/**
 * A processor's output with the place it must go. Processors emit one stream; the topology splits it
 * by route into the matching sinks, so one processor can reject a record and count another.
 */
public record Routed(Route route, byte[] value) {

    public enum Route {
        /** To the rejected topic (value: contract Rejection JSON). */
        REJECTED,
        /** A validated exchange rate, keyed by currency and week, to the rates-by-week topic. */
        RATE,
        /** A batch of change entries from stage 1 to stage 2. */
        CHANGES,
        /** A Total for the totals topic. */
        TOTAL,
        /** A Milestone for the milestones topic. */
        MILESTONE,
        /** A Forecast for the forecasts topic. */
        FORECAST,
        /** Stage 2's watermark and the quota of entries a stage-1 task may read past it, for every instance (a StageOnePace). */
        PACE
    }

    public static Routed of(Route route, byte[] value) {
        return new Routed(route, value);
    }

    public boolean is(Route r) {
        return route == r;
    }
}
