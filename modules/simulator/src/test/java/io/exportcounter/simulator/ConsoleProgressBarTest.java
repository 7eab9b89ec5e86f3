package io.exportcounter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressBarTest {

    @Test
    void redraws_one_line_then_prints_a_summary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.onProgress(new Progress(Instant.parse("2025-07-09T05:22:00Z"), 250_000, 500_000, 262_000, 12_345.6,
                36_241_000_000_000L, false));
        bar.onProgress(new Progress(Instant.parse("2025-12-29T04:03:27Z"), 499_000, 500_000, 522_000, 60,
                70_012_000_000_000L, true));
        bar.onFinish(new SimulationSummary(2025, 1, true, Map.of(SimEvent.Kind.ACCEPT, 500_000L, SimEvent.Kind.RATE, 212L,
                SimEvent.Kind.AMEND, 15_000L), Duration.ofSeconds(100), 70_970_000_000_000L, 70_970_000_000_000L,
                Instant.parse("2025-12-29T04:03:27Z"), "43210-25-0123456X"));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).startsWith("\r[##########----------]  50.0%  2025-07-09 14:22 KST  250,000/500,000 decl  12,346 rec/s  $362.41B");
        assertThat(out).contains("\r[####################]  99.8%  2025-12-29 13:03 KST", "$700.12B  SLOW MOTION");
        assertThat(out).contains("\rSimulated 2025: 500,000 declarations (15,000 amended, 0 cancelled, 0 redelivered, 0 malformed)"
                + " and 212 rates in 100.0 s (5,152 records/s); total $709,700,000,000.00;"
                + " planned crossing at 2025-12-29 13:03:27 KST by 43210-25-0123456X");
        assertThat(out).endsWith(System.lineSeparator());
        assertThat(out.indexOf('\n')).isEqualTo(out.length() - System.lineSeparator().length() + System.lineSeparator().indexOf('\n'));
    }

    @Test
    void without_the_bar_a_run_still_ends_with_its_summary_line() {
        StringWriter text = new StringWriter();
        ProgressListener summaryOnly = ConsoleProgressBar.summaryOnly(new PrintWriter(text));
        summaryOnly.onProgress(new Progress(Instant.parse("2025-07-09T05:22:00Z"), 250_000, 500_000, 262_000, 12_345.6,
                36_241_000_000_000L, false));
        summaryOnly.onFinish(new SimulationSummary(2024, 1, false, Map.of(SimEvent.Kind.ACCEPT, 250_000L),
                Duration.ofSeconds(10), 36_241_000_000_000L, 68_380_000_000_000L, null, null));

        assertThat(text.toString()).isEqualTo("Interrupted 2024: 250,000 declarations (0 amended, 0 cancelled, 0 redelivered,"
                + " 0 malformed) and 0 rates in 10.0 s (25,000 records/s); total $362,410,000,000.00" + System.lineSeparator());
    }
}
