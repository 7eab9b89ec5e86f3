package io.exportcounter.simulator;

/** A run that cannot go on: the broker is unreachable or refuses records. */
public final class SimulatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
