package io.exportcounter.pipeline.changes;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes what {@link java.io.DataOutputStream} would (big-endian numbers, {@code writeUTF} strings), so
 * {@link BinaryReader} and a {@link java.io.DataInputStream} read it back, straight into a growing byte
 * array: no stream layers, and ASCII strings, the common case, copied without a per-character loop.
 */
public final class BinaryWriter {
    private byte[] buf;
    private int size;

    public BinaryWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void writeByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    public void writeInt(int v) {
        ensure(4);
        buf[size] = (byte) (v >>> 24);
        buf[size + 1] = (byte) (v >>> 16);
        buf[size + 2] = (byte) (v >>> 8);
        buf[size + 3] = (byte) v;
        size += 4;
    }

    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    /** As {@code DataOutputStream.writeUTF}: a two-byte length, then modified UTF-8. */
    public void writeUTF(String s) {
        int n = s.length();
        boolean ascii = n <= 65_535;
        for (int i = 0; i < n && ascii; i++) {
            char c = s.charAt(i);
            ascii = c >= 1 && c <= 127;
        }
        if (!ascii) {
            writeWithDataOutput(s);
            return;
        }
        ensure(2 + n);
        buf[size] = (byte) (n >>> 8);
        buf[size + 1] = (byte) n;
        s.getBytes(0, n, buf, size + 2); // ASCII only: the deprecated byte copy is exact here
        size += 2 + n;
    }

    private void writeWithDataOutput(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length() * 3 + 2);
        try {
            new DataOutputStream(bytes).writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // too long for writeUTF: a programming error upstream
        }
        writeBytes(bytes.toByteArray());
    }

    public void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
