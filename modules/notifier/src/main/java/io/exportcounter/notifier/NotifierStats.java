package io.exportcounter.notifier;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one notifier since it started (for tests, the demo and status pages). */
public final class NotifierStats {
    final AtomicLong milestones = new AtomicLong();
    final AtomicLong forecasts = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong alreadyDone = new AtomicLong();
    final AtomicLong tooOld = new AtomicLong();
    final AtomicLong unreadable = new AtomicLong();

    /** Milestone records read and handled (offset committed or about to be). */
    public long milestones() {
        return milestones.get();
    }

    /** Forecast records read and handled (offset committed or about to be), heads-up or not. */
    public long forecasts() {
        return forecasts.get();
    }

    /** Deliveries made, over all channels. */
    public long delivered() {
        return delivered.get();
    }

    /** Deliveries given up and written to the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Deliveries skipped because the delivery records say they were done before. */
    public long alreadyDone() {
        return alreadyDone.get();
    }

    /** Milestones (and forecasts with a heads-up due) not notified because they were older than {@code notices.max-age}. */
    public long tooOld() {
        return tooOld.get();
    }

    /** Records on the milestones or forecasts topic that are not a valid Milestone or Forecast (dead-lettered). */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public String toString() {
        return "milestones=" + milestones() + " forecasts=" + forecasts() + " delivered=" + delivered() + " deadLettered=" + deadLettered()
                + " alreadyDone=" + alreadyDone() + " tooOld=" + tooOld() + " unreadable=" + unreadable();
    }
}
