package io.exportcounter.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's part of docs/reliability.md: what was done, what was checked (met or not), and the
 * figures measured. Written to {@code target/faults/<id>.md} whether the scenario passes or fails, so
 * that {@code bin/faults} can put every scenario into the report, a failed one marked as not met with
 * the reason.
 *
 * <p>Use: {@code try { ... report.did(..); report.met(..); report.figure(..) } catch (Throwable t) {
 * report.failed(t); throw t; } finally { report.write(); }}
 */
final class ScenarioReport {
    static final Path DIR = Path.of("target", "faults");

    private final String id;
    private final String title;
    private final List<String> done = new ArrayList<>();
    private final List<String> met = new ArrayList<>();
    private final List<String> notMet = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private String failure;

    /** {@code id} orders the scenarios in the report (e.g. "1-broker-kills"). */
    ScenarioReport(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** A step of the scenario, as a sentence. */
    ScenarioReport did(String step) {
        done.add(step);
        return this;
    }

    /** A check that held. */
    ScenarioReport met(String check) {
        met.add(check);
        return this;
    }

    /**
     * A check that did not hold but does not fail the scenario: a known gap of the product, said in the report
     * with the reason (the scenario's hard checks still fail it).
     */
    ScenarioReport notMet(String check) {
        notMet.add(check);
        return this;
    }

    /** A figure measured, e.g. {@code figure("declarations", "60,000")}. */
    ScenarioReport figure(String name, String value) {
        figures.put(name, value);
        return this;
    }

    /** The scenario failed with {@code t}: the report says not met, and why. */
    void failed(Throwable t) {
        String message = String.valueOf(t.getMessage()).strip();
        int cut = message.indexOf('\n', 400);
        failure = t.getClass().getSimpleName() + ": " + (cut > 0 ? message.substring(0, cut) + " …" : message);
    }

    void write() {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(title).append("\n\n");
        md.append("**").append(failure != null ? "Not met" : notMet.isEmpty() ? "Met" : "Partly met").append("** (run of ")
                .append(LocalDate.now(ZoneOffset.UTC)).append(", ")
                .append(Boolean.getBoolean("faults.full") ? "full size" : "CI size").append(").\n\n");
        if (!done.isEmpty()) {
            md.append("What was done:\n\n");
            done.forEach(s -> md.append("- ").append(s).append('\n'));
            md.append('\n');
        }
        if (!met.isEmpty()) {
            md.append("What was checked and held:\n\n");
            met.forEach(s -> md.append("- ").append(s).append('\n'));
            md.append('\n');
        }
        if (!notMet.isEmpty()) {
            md.append("What was checked and did not hold:\n\n");
            notMet.forEach(s -> md.append("- ").append(s).append('\n'));
            md.append('\n');
        }
        if (failure != null) {
            md.append("What failed: ").append(failure.replace("\n", " ")).append("\n\n");
        }
        if (!figures.isEmpty()) {
            md.append("| figure | value |\n|---|---|\n");
            figures.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            md.append('\n');
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(id + ".md"), md, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + id, e);
        }
    }
}
