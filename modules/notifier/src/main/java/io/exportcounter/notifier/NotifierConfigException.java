package io.exportcounter.notifier;

/** Bad notifier configuration, naming the key. Thrown at start, before anything connects. */
public final class NotifierConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public NotifierConfigException(String key, String problem) {
        // No stack trace: a bad key is an expected condition, reported as one line.
        super("config key '" + key + "': " + problem, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
