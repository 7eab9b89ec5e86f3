package io.exportcounter.notifier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file outbox: one JSON line per notice ({@code {"occurrenceKey", "milestone", "notice": {"en", "ko"},
 * "writtenAt"}}; a heads-up has {@code "forecast"} and {@code "thresholdUsd"} for {@code "milestone"}) appended to
 * {@code outbox.file}, written and fsynced line by line, for the demo and
 * for systems that pick up files.
 *
 * <p>Exactly once, crashes included: on open, a line cut short by a crash is removed, and the
 * occurrence keys already in the file are remembered; a notice whose key is there is not written again
 * (that is the case of a crash after the write and before the delivery record).
 */
final class OutboxChannel implements Channel {
    static final String NAME = "outbox";
    private static final Logger log = LoggerFactory.getLogger(OutboxChannel.class);

    private final Path file;
    private final Set<String> written = new HashSet<>();
    private FileChannel channel;

    OutboxChannel(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size > 0) {
            // Outboxes hold one line per milestone event: small enough to read whole at start.
            byte[] all = Files.readAllBytes(file);
            int keep = all.length;
            while (keep > 0 && all[keep - 1] != '\n') {
                keep--;
            }
            if (keep < size) {
                log.warn("Outbox {}: removing an incomplete last line ({} bytes) left by a crash", file, size - keep);
                channel.truncate(keep);
                channel.force(true);
            }
            // Lenient decoding: a line some other tool damaged is skipped, not fatal.
            for (String line : new String(all, 0, keep, StandardCharsets.UTF_8).split("\n")) {
                String key = Json.topLevelString(line, "occurrenceKey");
                if (key != null) {
                    written.add(key);
                }
            }
        }
        channel.position(channel.size());
    }

    @Override
    public Attempt attempt(Delivery d) {
        if (written.contains(d.occurrenceKey())) {
            return Attempt.delivered("already in " + file + " (written before a restart)");
        }
        byte[] json = Json.outboxLine(d, Instant.now());
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        try {
            long start = channel.position();
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
                // Data and size on disk before the delivery is recorded: a crash after this keeps the line.
                channel.force(true);
            } catch (IOException e) {
                // Leave no half line behind for the next attempt or for readers.
                channel.truncate(start);
                channel.position(start);
                throw e;
            }
            written.add(d.occurrenceKey());
            return Attempt.delivered("appended to " + file);
        } catch (IOException e) {
            return Attempt.retryable("cannot write " + file + ": " + e);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Outbox {}: close failed: {}", file, e.toString());
            }
        }
    }
}
