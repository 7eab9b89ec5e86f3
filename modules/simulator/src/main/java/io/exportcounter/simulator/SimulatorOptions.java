package io.exportcounter.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a simulation run needs: what year to generate and how, how fast to play it, and where
 * to send it. Immutable; build with {@link #builder()}, change a copy with {@link #toBuilder()}.
 * {@link Builder#build()} checks every value and names the option at fault.
 *
 * <p>Pacing: {@code speed} (simulated seconds per real second, 1 = live) or {@code rate} (records on
 * the declarations topic per real second), at most one of them; neither means as fast as possible.
 */
public final class SimulatorOptions {

    /** When to slow down around a planned milestone crossing. */
    public enum SlowMotion {
        /** On when the calibration plans a crossing and the run is paced by speed or rate. */
        AUTO,
        ON,
        OFF
    }

    public static final String DEFAULT_DECLARATIONS_TOPIC = "customs.export-declarations";
    public static final String DEFAULT_RATES_TOPIC = "customs.exchange-rates";
    /** The smallest year that still gives every calibration segment enough declarations. */
    public static final int MIN_DECLARATIONS = 1_000;
    /** DOMAIN.md's design volume: 50 million declarations a year. */
    public static final int MAX_DECLARATIONS = 50_000_000;

    private final int year;
    private final long seed;
    private final double speed;
    private final double rate;
    private final int declarations;
    private final double malformedShare;
    private final double amendShare;
    private final double cancelShare;
    private final double redeliveryShare;
    private final double lateRateShare;
    private final int exporters;
    private final Path calibrationFile;
    private final String bootstrapServers;
    private final String declarationsTopic;
    private final String ratesTopic;
    private final boolean progress;
    private final SlowMotion slowMotion;
    private final Duration slowMotionBefore;
    private final Duration slowMotionAfter;
    private final double slowMotionSpeed;
    private final Instant fastForwardUntil;
    private final int declarationsAtCrossing;
    private final Instant from;
    private final Instant until;
    private final boolean createTopics;
    private final int partitions;
    private final Map<String, String> producerProperties;

    /** Declarations in the crossing's second at most: each is a ship, and the year's last days must still hold them. */
    public static final int MAX_DECLARATIONS_AT_CROSSING = 16;

    private SimulatorOptions(Builder b) {
        this.year = b.year;
        this.seed = b.seed;
        this.speed = b.speed;
        this.rate = b.rate;
        this.declarations = b.declarations;
        this.malformedShare = b.malformedShare;
        this.amendShare = b.amendShare;
        this.cancelShare = b.cancelShare;
        this.redeliveryShare = b.redeliveryShare;
        this.lateRateShare = b.lateRateShare;
        this.exporters = b.exporters;
        this.calibrationFile = b.calibrationFile;
        this.bootstrapServers = b.bootstrapServers;
        this.declarationsTopic = b.declarationsTopic;
        this.ratesTopic = b.ratesTopic;
        this.progress = b.progress;
        this.slowMotion = b.slowMotion;
        this.slowMotionBefore = b.slowMotionBefore;
        this.slowMotionAfter = b.slowMotionAfter;
        this.slowMotionSpeed = b.slowMotionSpeed;
        this.fastForwardUntil = b.fastForwardUntil;
        this.declarationsAtCrossing = b.declarationsAtCrossing;
        this.from = b.from;
        this.until = b.until;
        this.createTopics = b.createTopics;
        this.partitions = b.partitions;
        this.producerProperties = Map.copyOf(b.producerProperties);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SimulatorOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.year = year;
        b.seed = seed;
        b.speed = speed;
        b.rate = rate;
        b.declarations = declarations;
        b.malformedShare = malformedShare;
        b.amendShare = amendShare;
        b.cancelShare = cancelShare;
        b.redeliveryShare = redeliveryShare;
        b.lateRateShare = lateRateShare;
        b.exporters = exporters;
        b.calibrationFile = calibrationFile;
        b.bootstrapServers = bootstrapServers;
        b.declarationsTopic = declarationsTopic;
        b.ratesTopic = ratesTopic;
        b.progress = progress;
        b.slowMotion = slowMotion;
        b.slowMotionBefore = slowMotionBefore;
        b.slowMotionAfter = slowMotionAfter;
        b.slowMotionSpeed = slowMotionSpeed;
        b.fastForwardUntil = fastForwardUntil;
        b.declarationsAtCrossing = declarationsAtCrossing;
        b.from = from;
        b.until = until;
        b.createTopics = createTopics;
        b.partitions = partitions;
        b.producerProperties.putAll(producerProperties);
        return b;
    }

    /** The calendar year simulated (acceptance times in Korea time). Default 2025. */
    public int year() {
        return year;
    }

    /** Same seed, same options: byte-identical events. */
    public long seed() {
        return seed;
    }

    /** Simulated seconds per real second; 0 when not pacing by speed. */
    public double speed() {
        return speed;
    }

    /** Records on the declarations topic per real second; 0 when not pacing by rate. */
    public double rate() {
        return rate;
    }

    public boolean paced() {
        return speed > 0 || rate > 0;
    }

    /** Distinct declarations accepted in the year (amendments, cancellations, redeliveries and malformed records come on top). */
    public int declarations() {
        return declarations;
    }

    /** Malformed records, as a share of the declarations. */
    public double malformedShare() {
        return malformedShare;
    }

    public double amendShare() {
        return amendShare;
    }

    public double cancelShare() {
        return cancelShare;
    }

    /** Declaration records sent a second time, unchanged. */
    public double redeliveryShare() {
        return redeliveryShare;
    }

    /** Share of weekly rates (per currency and week) that arrive after their week has begun. */
    public double lateRateShare() {
        return lateRateShare;
    }

    /** Size of the exporter population the declarations are spread over. */
    public int exporters() {
        return exporters;
    }

    /** A {@code month,totalUsd} CSV to calibrate to, or null for the history packaged for {@link #year()}. */
    public Path calibrationFile() {
        return calibrationFile;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String declarationsTopic() {
        return declarationsTopic;
    }

    public String ratesTopic() {
        return ratesTopic;
    }

    /** Draw the progress bar on standard error. */
    public boolean progress() {
        return progress;
    }

    public SlowMotion slowMotion() {
        return slowMotion;
    }

    /** How much simulated time before the planned crossing is played in slow motion. */
    public Duration slowMotionBefore() {
        return slowMotionBefore;
    }

    /** How much simulated time after the planned crossing is still played in slow motion. */
    public Duration slowMotionAfter() {
        return slowMotionAfter;
    }

    /** Simulated seconds per real second inside the slow-motion window (never faster than the run itself). */
    public double slowMotionSpeed() {
        return slowMotionSpeed;
    }

    /** Events before this simulated instant are sent as fast as possible, or null. */
    public Instant fastForwardUntil() {
        return fastForwardUntil;
    }

    /**
     * How many declarations are accepted in the second of the planned crossing (1: the crossing declaration alone).
     * With more, each of them would take the total past the threshold on its own, so only the order of
     * declarations accepted at the same instant (declarationId) decides which one crosses: the tie case.
     */
    public int declarationsAtCrossing() {
        return declarationsAtCrossing;
    }

    /**
     * The simulated instant the run starts at: records before it are not sent (an earlier run sent them), except the
     * weekly exchange rates, which go out again at once so that the slice needs nothing else (null: from the start).
     */
    public Instant from() {
        return from;
    }

    /** The simulated instant the run stops at: records of it and later are not sent (null: the whole year). */
    public Instant until() {
        return until;
    }

    /** Create missing input topics (declarations: delete, rates: compact) before producing. */
    public boolean createTopics() {
        return createTopics;
    }

    /** Partitions of a declarations topic created by the simulator (the rates topic gets one). */
    public int partitions() {
        return partitions;
    }

    /** Extra Kafka producer settings (security and the like), over the simulator's own. */
    public Map<String, String> producerProperties() {
        return producerProperties;
    }

    @Override
    public String toString() {
        return "SimulatorOptions{year=" + year + ", seed=" + seed + ", speed=" + speed + ", rate=" + rate
                + ", declarations=" + declarations + ", malformedShare=" + malformedShare
                + ", amendShare=" + amendShare + ", cancelShare=" + cancelShare
                + ", redeliveryShare=" + redeliveryShare + ", lateRateShare=" + lateRateShare
                + ", exporters=" + exporters + ", calibrationFile=" + calibrationFile
                + ", bootstrapServers=" + bootstrapServers + ", declarationsTopic=" + declarationsTopic
                + ", ratesTopic=" + ratesTopic + ", progress=" + progress + ", slowMotion=" + slowMotion
                + ", slowMotionBefore=" + slowMotionBefore + ", slowMotionAfter=" + slowMotionAfter
                + ", slowMotionSpeed=" + slowMotionSpeed + ", fastForwardUntil=" + fastForwardUntil
                + ", declarationsAtCrossing=" + declarationsAtCrossing + ", from=" + from + ", until=" + until
                + ", createTopics=" + createTopics + ", partitions=" + partitions + "}";
    }

    public static final class Builder {
        private int year = 2025;
        private long seed = 20251229L;
        private double speed;
        private double rate;
        private int declarations = 500_000;
        private double malformedShare = 0.001;
        private double amendShare = 0.03;
        private double cancelShare = 0.01;
        private double redeliveryShare = 0.005;
        private double lateRateShare = 0.05;
        private int exporters = 100_000;
        private Path calibrationFile;
        private String bootstrapServers = "localhost:9092";
        private String declarationsTopic = DEFAULT_DECLARATIONS_TOPIC;
        private String ratesTopic = DEFAULT_RATES_TOPIC;
        private boolean progress = true;
        private SlowMotion slowMotion = SlowMotion.AUTO;
        // One simulated minute per real second: the dashboard clock ticks minute by minute to the crossing.
        private Duration slowMotionBefore = Duration.ofMinutes(30);
        private Duration slowMotionAfter = Duration.ofMinutes(2);
        private double slowMotionSpeed = 60;
        private Instant fastForwardUntil;
        private int declarationsAtCrossing = 1;
        private Instant from;
        private Instant until;
        private boolean createTopics = true;
        private int partitions = 6;
        private final Map<String, String> producerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder year(int year) {
            this.year = year;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Paces by simulated seconds per real second; clears {@link #rate(double)}. 0 clears it. */
        public Builder speed(double speed) {
            this.speed = speed;
            if (speed != 0) {
                this.rate = 0;
            }
            return this;
        }

        /** Paces by declaration-topic records per real second; clears {@link #speed(double)}. 0 clears it. */
        public Builder rate(double rate) {
            this.rate = rate;
            if (rate != 0) {
                this.speed = 0;
            }
            return this;
        }

        /** As fast as the producer goes. */
        public Builder unpaced() {
            this.speed = 0;
            this.rate = 0;
            return this;
        }

        public Builder declarations(int declarations) {
            this.declarations = declarations;
            return this;
        }

        public Builder malformedShare(double share) {
            this.malformedShare = share;
            return this;
        }

        public Builder amendShare(double share) {
            this.amendShare = share;
            return this;
        }

        public Builder cancelShare(double share) {
            this.cancelShare = share;
            return this;
        }

        public Builder redeliveryShare(double share) {
            this.redeliveryShare = share;
            return this;
        }

        public Builder lateRateShare(double share) {
            this.lateRateShare = share;
            return this;
        }

        public Builder exporters(int exporters) {
            this.exporters = exporters;
            return this;
        }

        public Builder calibrationFile(Path file) {
            this.calibrationFile = file;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder declarationsTopic(String topic) {
            this.declarationsTopic = topic;
            return this;
        }

        public Builder ratesTopic(String topic) {
            this.ratesTopic = topic;
            return this;
        }

        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        public Builder slowMotion(SlowMotion slowMotion) {
            this.slowMotion = slowMotion;
            return this;
        }

        public Builder slowMotionBefore(Duration before) {
            this.slowMotionBefore = before;
            return this;
        }

        public Builder slowMotionAfter(Duration after) {
            this.slowMotionAfter = after;
            return this;
        }

        public Builder slowMotionSpeed(double speed) {
            this.slowMotionSpeed = speed;
            return this;
        }

        public Builder fastForwardUntil(Instant until) {
            this.fastForwardUntil = until;
            return this;
        }

        public Builder declarationsAtCrossing(int declarations) {
            this.declarationsAtCrossing = declarations;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder createTopics(boolean createTopics) {
            this.createTopics = createTopics;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder producerProperty(String key, String value) {
            producerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad option */
        public SimulatorOptions build() {
            check(year >= 1990 && year <= 2100, "year", "must be between 1990 and 2100, was " + year);
            check(Double.isFinite(speed) && speed >= 0, "speed", "must be a positive number of simulated seconds per second");
            check(Double.isFinite(rate) && rate >= 0, "rate", "must be a positive number of records per second");
            check(!(speed > 0 && rate > 0), "speed", "and rate cannot both be set");
            check(declarations >= MIN_DECLARATIONS && declarations <= MAX_DECLARATIONS, "declarations",
                    "must be between " + MIN_DECLARATIONS + " and " + MAX_DECLARATIONS + ", was " + declarations);
            share("malformed-share", malformedShare, 0.5);
            share("amend-share", amendShare, 0.5);
            share("cancel-share", cancelShare, 0.5);
            check(amendShare + cancelShare <= 0.5, "amend-share", "plus cancel-share must be at most 0.5");
            share("redelivery-share", redeliveryShare, 0.5);
            share("late-rate-share", lateRateShare, 1);
            check(exporters >= 100 && exporters <= 10_000_000, "exporters", "must be between 100 and 10000000, was " + exporters);
            check(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap-servers", "is required");
            topic("declarations-topic", declarationsTopic);
            topic("rates-topic", ratesTopic);
            check(slowMotion != null, "slow-motion", "must be AUTO, ON or OFF");
            check(slowMotionBefore != null && !slowMotionBefore.isNegative(), "slow-motion-before", "must be a duration >= 0");
            check(slowMotionAfter != null && !slowMotionAfter.isNegative(), "slow-motion-after", "must be a duration >= 0");
            check(Double.isFinite(slowMotionSpeed) && slowMotionSpeed > 0, "slow-motion-speed", "must be a positive number");
            check(partitions >= 1 && partitions <= 10_000, "partitions", "must be between 1 and 10000, was " + partitions);
            check(declarationsAtCrossing >= 1 && declarationsAtCrossing <= MAX_DECLARATIONS_AT_CROSSING, "declarations-at-crossing",
                    "must be between 1 and " + MAX_DECLARATIONS_AT_CROSSING + ", was " + declarationsAtCrossing);
            check(from == null || until == null || from.isBefore(until), "from", "must be before until, was " + from
                    + " (until " + until + ")");
            return new SimulatorOptions(this);
        }

        private static void share(String name, double value, double max) {
            check(Double.isFinite(value) && value >= 0 && value <= max, name, "must be between 0 and " + max + ", was " + value);
        }

        private static void topic(String name, String value) {
            check(value != null && value.matches("[A-Za-z0-9._-]{1,249}"), name, "must be a valid Kafka topic name, was '" + value + "'");
        }

        private static void check(boolean ok, String option, String reason) {
            if (!ok) {
                throw new IllegalArgumentException(option + " " + reason);
            }
        }
    }
}
