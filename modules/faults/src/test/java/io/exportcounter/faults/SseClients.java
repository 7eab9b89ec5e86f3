package io.exportcounter.faults;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.Total;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many {@code /api/v1/events} clients on one selector thread: each is a plain HTTP/1.1 connection whose chunked
 * Server-Sent-Events stream is read as a browser's EventSource would, keeping only what the test checks (how many
 * events, the latest value of one total, when one milestone arrived). One thread for all, so that a thousand
 * clients cost the machine (2 cores, shared with the pipeline and three brokers) no thousand threads.
 */
final class SseClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SseClients.class);
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTED = ": connected".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final String pathAndQuery;
    private final String watchedTotalKey;
    private final String watchedMilestoneId;
    private final byte[] watchedMember;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Client> toRegister = new ConcurrentLinkedQueue<>();
    private final List<Client> clients = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    /** What one client has received so far. */
    static final class Client {
        final int id;
        final SocketChannel channel;
        final ByteBuffer request;
        volatile boolean connected;
        volatile boolean ended;
        volatile long events;
        /** The latest {@code totalUsd} of the watched total, in cents; -1 before the first. */
        volatile long watchedTotalCents = -1;
        /** When the watched milestone (CROSSED) arrived, epoch ms; 0 before. */
        volatile long watchedMilestoneAtMs;
        volatile String watchedMilestoneJson;

        // the response, as read: headers, then chunks, then SSE lines
        private boolean inHeaders = true;
        private final StringBuilder headers = new StringBuilder();
        private long chunkLeft = -1; // -1: reading a chunk-size line
        private final StringBuilder chunkSizeLine = new StringBuilder();
        private int chunkTrailer; // CR LF bytes still to skip after a chunk's data
        private byte[] line = new byte[1024];
        private int lineLength;
        private String eventName;

        Client(int id, SocketChannel channel, ByteBuffer request) {
            this.id = id;
            this.channel = channel;
            this.request = request;
        }
    }

    /**
     * Clients of {@code pathAndQuery} on {@code server}; each keeps the latest value of the total keyed
     * {@code watchedTotalKey} ({@code 2025|NATIONAL|KR}) and when the milestone {@code watchedMilestoneId} arrived.
     */
    SseClients(InetSocketAddress server, String pathAndQuery, String watchedTotalKey, String watchedMilestoneId) {
        this.server = server;
        this.pathAndQuery = pathAndQuery;
        this.watchedTotalKey = watchedTotalKey;
        this.watchedMilestoneId = watchedMilestoneId;
        String[] key = watchedTotalKey.split("\\|");
        this.watchedMember = ("\"" + key[2] + "\"").getBytes(StandardCharsets.UTF_8);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, "sse-clients");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens {@code n} more connections (they connect in the background; see {@link #connected()}). */
    void open(int n) {
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(server);
                toRegister.add(new Client(opened.incrementAndGet(), channel, ByteBuffer.wrap(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a live-events connection to " + server, e);
            }
        }
        selector.wakeup();
    }

    /** Clients that received the server's first line ({@code : connected}) and are not ended. */
    int connected() {
        return (int) snapshot().stream().filter(c -> c.connected && !c.ended).count();
    }

    /** Clients whose stream ended (closed by the server or failed). */
    int ended() {
        return (int) snapshot().stream().filter(c -> c.ended).count();
    }

    /** Events received by all clients together (comments not counted). */
    long events() {
        return events.get();
    }

    List<Client> snapshot() {
        synchronized (clients) {
            return List.copyOf(clients);
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[buffer.capacity()];
        while (!closed) {
            try {
                selector.select(200);
                Client added;
                while ((added = toRegister.poll()) != null) {
                    added.channel.register(selector, SelectionKey.OP_CONNECT, added);
                    synchronized (clients) {
                        clients.add(added);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            c.channel.write(c.request);
                            if (!c.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            buffer.clear();
                            int n = c.channel.read(buffer);
                            if (n < 0) {
                                end(c, key, null);
                            } else if (n > 0) {
                                buffer.flip();
                                buffer.get(bytes, 0, n);
                                receive(c, bytes, n);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        end(c, key, e);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("SSE clients' selector failed: {}", e.toString());
                }
                return;
            }
        }
    }

    private void end(Client c, SelectionKey key, Exception e) {
        if (!c.ended) {
            c.ended = true;
            log.debug("Live-events client {} ended{}", c.id, e == null ? "" : ": " + e);
        }
        key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // gone anyway
        }
    }

    /** Headers, then the chunked body, byte by byte into SSE lines. */
    private void receive(Client c, byte[] bytes, int n) {
        int i = 0;
        while (i < n) {
            if (c.inHeaders) {
                c.headers.append((char) bytes[i++]);
                int end = c.headers.length();
                if (end >= 4 && c.headers.substring(end - 4).equals("\r\n\r\n")) {
                    c.inHeaders = false;
                    String head = c.headers.toString();
                    if (!head.startsWith("HTTP/1.1 200") || !head.toLowerCase().contains("transfer-encoding: chunked")) {
                        throw new IllegalStateException("unexpected answer to the live-events request: " + head.strip());
                    }
                }
            } else if (c.chunkTrailer > 0) {
                c.chunkTrailer--;
                i++;
            } else if (c.chunkLeft < 0) {
                char ch = (char) bytes[i++];
                if (ch == '\n') {
                    String size = c.chunkSizeLine.toString().strip();
                    int semi = size.indexOf(';');
                    c.chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
                    c.chunkSizeLine.setLength(0);
                    if (c.chunkLeft == 0) {
                        throw new IllegalStateException("the server ended the event stream");
                    }
                } else {
                    c.chunkSizeLine.append(ch);
                }
            } else {
                int take = (int) Math.min(c.chunkLeft, n - i);
                for (int j = i; j < i + take; j++) {
                    sseByte(c, bytes[j]);
                }
                i += take;
                c.chunkLeft -= take;
                if (c.chunkLeft == 0) {
                    c.chunkLeft = -1;
                    c.chunkTrailer = 2;
                }
            }
        }
    }

    private void sseByte(Client c, byte b) {
        if (b == '\n') {
            sseLine(c);
            c.lineLength = 0;
            return;
        }
        if (c.lineLength == c.line.length) {
            c.line = Arrays.copyOf(c.line, c.line.length * 2);
        }
        c.line[c.lineLength++] = b;
    }

    private void sseLine(Client c) {
        byte[] line = c.line;
        int length = c.lineLength;
        if (length == 0) {
            if (c.eventName != null) {
                c.events++;
                events.incrementAndGet();
            }
            c.eventName = null;
        } else if (startsWith(line, length, EVENT)) {
            c.eventName = new String(line, EVENT.length, length - EVENT.length, StandardCharsets.UTF_8).strip();
        } else if (startsWith(line, length, DATA)) {
            if ("milestone".equals(c.eventName)) {
                milestone(c, new String(line, DATA.length, length - DATA.length, StandardCharsets.UTF_8));
            } else if ("total".equals(c.eventName) && contains(line, length, watchedMember)) {
                total(c, Arrays.copyOfRange(line, DATA.length, length));
            }
        } else if (!c.connected && startsWith(line, length, CONNECTED)) {
            c.connected = true;
        }
    }

    private void total(Client c, byte[] json) {
        Total t = parse(() -> ContractJson.instance().parseTotal(json));
        if ((t.period() + "|" + t.dimension().name() + "|" + t.member()).equals(watchedTotalKey)) {
            c.watchedTotalCents = Money.toCents(t.totalUsd());
        }
    }

    private void milestone(Client c, String json) {
        Milestone m = parse(() -> ContractJson.instance().parseMilestone(json.strip().getBytes(StandardCharsets.UTF_8)));
        if (m.milestoneId().equals(watchedMilestoneId) && m.type() == MilestoneType.CROSSED && c.watchedMilestoneAtMs == 0) {
            c.watchedMilestoneAtMs = System.currentTimeMillis();
            c.watchedMilestoneJson = json.strip();
        }
    }

    private interface Parse<T> {
        T get() throws Exception;
    }

    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.get();
        } catch (Exception e) {
            throw new IllegalStateException("a live event that breaks the contract: " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] line, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] line, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (line[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * A client that connects, asks for the live events and then never reads a byte: the server's writes to it
     * fill the socket buffers and block. Its receive buffer is small so that this happens soon.
     */
    static Socket stalled(InetSocketAddress server, String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(server, 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /**
     * Reads what the server left in a stalled client's socket, until the server's end of it: true when the
     * server closed (or reset) the connection within {@code timeoutMs}.
     */
    static boolean closedByServer(Socket stalled, long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        InputStream in = stalled.getInputStream();
        byte[] sink = new byte[64 * 1024];
        while (System.currentTimeMillis() < deadline) {
            stalled.setSoTimeout((int) Math.max(1, Math.min(1_000, deadline - System.currentTimeMillis())));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open; keep reading until the deadline
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Client c : snapshot()) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        toRegister.forEach(c -> {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
