package io.exportcounter.pipeline.config;

import io.exportcounter.contract.config.ConfigKeyException;

/** Bad pipeline configuration, naming the key. Thrown at start, before anything connects. */
public final class PipelineConfigException extends ConfigKeyException {
    private static final long serialVersionUID = 1L;

    public PipelineConfigException(String key, String problem) {
        super(key, problem);
    }
}
