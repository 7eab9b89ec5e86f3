package io.exportcounter.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 check (RFC 3629, Unicode table 3-7). Done by hand because Jackson's decoder and
 * {@code new String(bytes, UTF_8)} both let overlong forms and encoded surrogates slip through or
 * silently replace them, and a rejected record must say reliably that its bytes are not UTF-8.
 */
final class Utf8 {
    private Utf8() {
    }

    // Eight bytes at a time: records are almost all ASCII, and this check runs on every one of them.
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Index of the first byte of the first ill-formed sequence, or -1 when all of {@code data} is valid. */
    static int firstInvalid(byte[] data) {
        int i = 0;
        int n = data.length;
        while (i < n) {
            if (i + 8 <= n && ((long) LONGS.get(data, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int b = data[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b == 0xE0) {
                need = 2;
                lo = 0xA0; // below: overlong
            } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
                need = 2;
            } else if (b == 0xED) {
                need = 2;
                hi = 0x9F; // above: UTF-16 surrogates D800..DFFF
            } else if (b == 0xF0) {
                need = 3;
                lo = 0x90; // below: overlong
            } else if (b >= 0xF1 && b <= 0xF3) {
                need = 3;
            } else if (b == 0xF4) {
                need = 3;
                hi = 0x8F; // above: beyond U+10FFFF
            } else {
                return i; // 80..C1 (continuation or overlong lead), F5..FF
            }
            if (i + need >= n) {
                return i;
            }
            int c = data[i + 1] & 0xFF;
            if (c < lo || c > hi) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                c = data[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }

    static boolean isValid(byte[] data) {
        return firstInvalid(data) < 0;
    }
}
