package io.exportcounter.simulator;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The progress bar on standard error: one line redrawn with {@code \r} (simulated date and time, declarations
 * sent, records per second, the running total, % done), then one summary line, also after an interruption.
 * {@link #summaryOnly} prints the summary line alone, for a run without the bar.
 *
 * <pre>
 * [##########----------]  52.3%  2025-07-09 14:22 KST  261,532/500,000 decl  12,345 rec/s  $362.41B
 * </pre>
 */
public final class ConsoleProgressBar implements ProgressListener {
    private static final int BAR = 20;

    private final PrintWriter out;
    private final boolean drawBar;
    private int lastLength;

    public ConsoleProgressBar(PrintStream out) {
        this(new PrintWriter(out, true), true);
    }

    public ConsoleProgressBar(PrintWriter out) {
        this(out, true);
    }

    private ConsoleProgressBar(PrintWriter out, boolean drawBar) {
        this.out = out;
        this.drawBar = drawBar;
    }

    /** No bar, only the summary line at the end (also after an interruption). */
    public static ConsoleProgressBar summaryOnly(PrintWriter out) {
        return new ConsoleProgressBar(out, false);
    }

    @Override
    public void onProgress(Progress p) {
        if (!drawBar) {
            return;
        }
        String line = line(p);
        StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        lastLength = line.length();
        out.print(sb);
        out.flush();
    }

    @Override
    public void onFinish(SimulationSummary s) {
        String line = summary(s);
        // Over the bar (if any); without it, a plain line.
        StringBuilder sb = new StringBuilder();
        if (drawBar) {
            sb.append('\r');
        }
        sb.append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        out.println(sb);
        out.flush();
    }

    static String line(Progress p) {
        int filled = (int) Math.round(p.fractionDone() * BAR);
        StringBuilder sb = new StringBuilder(110).append('[');
        for (int i = 0; i < BAR; i++) {
            sb.append(i < filled ? '#' : '-');
        }
        sb.append(String.format(Locale.ROOT, "] %5.1f%%  %s KST  %,d/%,d decl  %,.0f rec/s  %s",
                p.fractionDone() * 100, clock(p.simulatedTime()), p.declarations(), p.totalDeclarations(),
                p.recordsPerSecond(), billions(p.runningTotalCents())));
        if (p.slowMotion()) {
            sb.append("  SLOW MOTION");
        }
        return sb.toString();
    }

    static String summary(SimulationSummary s) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s %d: %,d declarations (%,d amended, %,d cancelled, %,d redelivered, %,d malformed) and %,d rates"
                        + " in %.1f s (%,.0f records/s); total %s",
                s.completed() ? "Simulated" : "Interrupted", s.year(), s.count(SimEvent.Kind.ACCEPT),
                s.count(SimEvent.Kind.AMEND), s.count(SimEvent.Kind.CANCEL), s.count(SimEvent.Kind.REDELIVERY),
                s.count(SimEvent.Kind.MALFORMED), s.count(SimEvent.Kind.RATE), s.elapsed().toNanos() / 1e9,
                s.recordsPerSecond(), dollars(s.finalTotalCents())));
        if (s.completed() && s.finalTotalCents() != s.calibratedTotalCents()) {
            sb.append(" (calibrated ").append(dollars(s.calibratedTotalCents())).append(')');
        }
        if (s.crossingAt() != null && s.crossingDeclarationId() != null) {
            sb.append("; planned crossing at ").append(clock(s.crossingAt()))
                    .append(String.format(Locale.ROOT, ":%02d", LocalDateTime.ofInstant(s.crossingAt(), ZoneOffset.ofHours(9)).getSecond()))
                    .append(" KST by ").append(s.crossingDeclarationId());
        }
        return sb.toString();
    }

    private static String clock(Instant t) {
        LocalDateTime kst = LocalDateTime.ofInstant(t, ZoneOffset.ofHours(9));
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d", kst.getYear(), kst.getMonthValue(),
                kst.getDayOfMonth(), kst.getHour(), kst.getMinute());
    }

    private static String billions(long cents) {
        return String.format(Locale.ROOT, "$%.2fB", cents / 1e11);
    }

    private static String dollars(long cents) {
        return String.format(Locale.ROOT, "$%,d.%02d", cents / 100, Math.abs(cents % 100));
    }
}
