package io.exportcounter.contract.config;

/**
 * Bad configuration, naming the key: the message is {@code config key '<key>': <problem>}. Each
 * configuration has its own subclass (such as the pipeline's and the notifier's), thrown at start,
 * before anything connects.
 */
public abstract class ConfigKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    protected ConfigKeyException(String key, String problem) {
        // No stack trace: a bad key is an expected condition, reported as one line.
        super("config key '" + key + "': " + problem, null, false, false);
        this.key = key;
    }

    /** The configuration key that is bad. */
    public String key() {
        return key;
    }
}
