package io.exportcounter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A section of a Markdown page that one scenario writes, between an HTML comment that opens it and one that closes
 * it: rewritten in place by each run of that scenario, kept as it is by the others.
 */
record MarkedSection(String begin, String end) {

    /** The section as it stands in {@code page}, markers included, if it is there. */
    Optional<String> in(String page) {
        int b = page.indexOf(begin);
        int e = page.indexOf(end, Math.max(b, 0));
        return b >= 0 && e > b ? Optional.of(page.substring(b, e + end.length())) : Optional.empty();
    }

    /** {@code page} with the section's content replaced by {@code content}, or the section appended. */
    String replace(String page, String content) {
        String block = begin + "\n" + content + (content.endsWith("\n") ? "" : "\n") + end;
        Optional<String> old = in(page);
        if (old.isPresent()) {
            return page.replace(old.get(), block);
        }
        return page + (page.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
    }

    /** Writes {@code content} into the section of {@code file}, creating the file with {@code title} if need be. */
    void write(Path file, String title, String content) throws IOException {
        String page = Files.exists(file) ? Files.readString(file) : "# " + title + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, replace(page, content));
    }
}
