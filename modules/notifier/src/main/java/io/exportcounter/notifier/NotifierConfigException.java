package io.exportcounter.notifier;

import io.exportcounter.contract.config.ConfigKeyException;

/** Bad notifier configuration, naming the key. Thrown at start, before anything connects. */
public final class NotifierConfigException extends ConfigKeyException {
    private static final long serialVersionUID = 1L;

    public NotifierConfigException(String key, String problem) {
        super(key, problem);
    }
}
