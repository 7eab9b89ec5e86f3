package io.exportcounter.simulator;

/**
 * Hears how a run is going: {@link #onProgress} a few times a second from the producing thread (keep it
 * quick), {@link #onSlowMotion} once when the slow-motion window before a planned crossing begins, and
 * {@link #onFinish} once at the end, also after an interruption.
 */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
        @Override
        public void onProgress(Progress progress) {
        }
    };

    void onProgress(Progress progress);

    /**
     * The slow-motion window begins: called once, on the producing thread, just before the first record
     * inside it, after every earlier record has been acknowledged by Kafka. It may block, for instance until
     * the pipeline has caught up with {@code progress.runningTotalCents()}, so that the crossing is applied
     * in order even when the pipeline was behind; sending (and pacing) resumes when it returns.
     */
    default void onSlowMotion(Progress progress) {
    }

    default void onFinish(SimulationSummary summary) {
    }

    /** Both listeners, in order. */
    default ProgressListener andThen(ProgressListener other) {
        ProgressListener self = this;
        return new ProgressListener() {
            @Override
            public void onProgress(Progress progress) {
                self.onProgress(progress);
                other.onProgress(progress);
            }

            @Override
            public void onSlowMotion(Progress progress) {
                self.onSlowMotion(progress);
                other.onSlowMotion(progress);
            }

            @Override
            public void onFinish(SimulationSummary summary) {
                self.onFinish(summary);
                other.onFinish(summary);
            }
        };
    }
}
