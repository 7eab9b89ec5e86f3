package io.exportcounter.pipeline.changes;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what a {@link java.io.DataOutputStream} wrote (big-endian numbers, {@code writeUTF} strings)
 * straight from a byte array: no stream, no lock, no char buffer. Strings of few distinct values
 * (item group, destination, region) come from a small table of the ones seen before, so stage 2's
 * lookups by them hash a string whose hash is already known instead of a new one for every entry.
 */
public final class BinaryReader {
    private static final int TABLE_SIZE = 1024;
    /** Per thread: each stream thread decodes its own tasks' records. */
    private static final ThreadLocal<String[]> STRINGS = ThreadLocal.withInitial(() -> new String[TABLE_SIZE]);
    private static final ThreadLocal<byte[][]> BYTES = ThreadLocal.withInitial(() -> new byte[TABLE_SIZE][]);

    private final byte[] data;
    private int pos;
    private final String[] strings = STRINGS.get();
    private final byte[][] stringBytes = BYTES.get();

    public BinaryReader(byte[] data) {
        this.data = data;
    }

    public int available() {
        return data.length - pos;
    }

    /** Where the next read starts. */
    public int position() {
        return pos;
    }

    /** A copy of the bytes read since {@code start} (a {@link #position()} taken before). */
    public byte[] copySince(int start) {
        return Arrays.copyOfRange(data, start, pos);
    }

    public byte readByte() {
        require(1);
        return data[pos++];
    }

    public int readInt() {
        require(4);
        int v = (data[pos] & 0xff) << 24 | (data[pos + 1] & 0xff) << 16 | (data[pos + 2] & 0xff) << 8 | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long readLong() {
        return (long) readInt() << 32 | (readInt() & 0xffffffffL);
    }

    /** The next {@code n} bytes, as written by {@code BinaryWriter.writeBytes}. */
    public byte[] readBytes(int n) {
        require(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A string written by {@code writeUTF}. */
    public String readUTF() {
        int len = utfLength();
        String s = decode(pos, len);
        pos += len;
        return s;
    }

    /** As {@link #readUTF()}, for strings of few distinct values: the same instance each time. */
    public String readCommonUTF() {
        int len = utfLength();
        int h = 1;
        for (int i = pos; i < pos + len; i++) {
            h = 31 * h + data[i];
        }
        int slot = (h ^ h >>> 16) & (TABLE_SIZE - 1);
        byte[] known = stringBytes[slot];
        String s;
        if (known != null && Arrays.equals(known, 0, known.length, data, pos, pos + len)) {
            s = strings[slot];
        } else {
            s = decode(pos, len);
            stringBytes[slot] = Arrays.copyOfRange(data, pos, pos + len);
            strings[slot] = s;
        }
        pos += len;
        return s;
    }

    private int utfLength() {
        require(2);
        int len = (data[pos] & 0xff) << 8 | (data[pos + 1] & 0xff);
        pos += 2;
        require(len);
        return len;
    }

    /** Modified UTF-8 is plain ASCII for the characters 1 to 127: the common case, decoded directly. */
    private String decode(int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (data[i] <= 0) {
                try {
                    return new DataInputStream(new ByteArrayInputStream(data, from - 2, len + 2)).readUTF();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new String(data, from, len, StandardCharsets.ISO_8859_1);
    }

    private void require(int n) {
        if (pos + n > data.length) {
            throw new IllegalStateException("truncated record: " + n + " more bytes needed at " + pos + " of " + data.length);
        }
    }
}
