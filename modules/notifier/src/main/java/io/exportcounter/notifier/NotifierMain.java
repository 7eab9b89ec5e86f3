package io.exportcounter.notifier;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the notifier from a config file: {@code NotifierMain FILE}. The launcher's {@code notifier}
 * command is the user-facing way in; this plain entry point is what the crash test starts in a JVM of
 * its own.
 */
public final class NotifierMain {
    private static final Logger log = LoggerFactory.getLogger(NotifierMain.class);

    private NotifierMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: NotifierMain CONFIG_FILE");
            System.exit(2);
        }
        try {
            System.exit(NotifierRunner.runUntilStopped(NotifierConfig.load(Path.of(args[0]))));
        } catch (NotifierConfigException e) {
            log.error("Bad configuration: {}", e.getMessage());
            System.exit(2);
        }
    }
}
