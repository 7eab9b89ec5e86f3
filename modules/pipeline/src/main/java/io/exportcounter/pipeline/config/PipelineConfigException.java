package io.exportcounter.pipeline.config;

/** Bad pipeline configuration, naming the key. Thrown at start, before anything connects. */
public final class PipelineConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public PipelineConfigException(String key, String problem) {
        super("config key '" + key + "': " + problem, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
