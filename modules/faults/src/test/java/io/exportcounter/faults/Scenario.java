package io.exportcounter.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** How a fault scenario runs and reports: its report written whether it passes or not, and its timing helpers. */
final class Scenario {
    private Scenario() {
    }

    /** A scenario's steps and checks, writing into its report. */
    interface Body {
        void run(ScenarioReport report) throws Exception;
    }

    /** Runs {@code body} with a report {@code id} / {@code title} that is written whatever happens. */
    static void run(CalibratedYear year, String id, String title, Body body) throws Exception {
        ScenarioReport report = new ScenarioReport(id, title);
        long started = System.nanoTime();
        try {
            report.figure("declarations in the year", String.format("%,d (%,d records with corrections, redeliveries,"
                    + " malformed records and rates)", year.declarations, year.events.size()));
            body.run(report);
        } catch (Throwable t) {
            report.failed(t);
            throw t;
        } finally {
            report.figure("scenario wall time", seconds(System.nanoTime() - started));
            report.write();
        }
    }

    static void awaitShareSent(Feed feed, double share) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            feed.assertNoFailure();
            return feed.sent() >= share;
        });
    }

    static String percentSent(Feed feed) {
        return Math.round(feed.sent() * 100) + "%";
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

}
