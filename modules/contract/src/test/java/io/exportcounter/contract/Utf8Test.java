package io.exportcounter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void acceptsWellFormedText() {
        assertThat(Utf8.isValid("plain ASCII, é, 삼성, 😀, \uFFFF, \u0000".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isValid(new byte[0])).isTrue();
        assertThat(Utf8.isValid(new byte[]{(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})).isTrue(); // U+10FFFF
    }

    @Test
    void findsBadBytesBehindLongAsciiRuns() {
        for (int at = 0; at < 40; at++) {
            byte[] b = "0123456789abcdefghijklmnopqrstuvwxyzABCD".getBytes(StandardCharsets.US_ASCII);
            b[at] = (byte) 0xC0;
            assertThat(Utf8.firstInvalid(b)).as("bad byte at %d", at).isEqualTo(at);
        }
    }

    @Test
    void pointsAtTheFirstIllFormedSequence() {
        assertThat(Utf8.firstInvalid(new byte[]{'a', 'b', (byte) 0xC1, (byte) 0xBF})).isEqualTo(2); // overlong
        assertThat(Utf8.firstInvalid(new byte[]{'a', (byte) 0xE0, (byte) 0x9F, (byte) 0xBF})).isEqualTo(1); // overlong
        assertThat(Utf8.firstInvalid(new byte[]{(byte) 0xED, (byte) 0xBF, (byte) 0xBF})).isEqualTo(0); // U+DFFF
        assertThat(Utf8.firstInvalid(new byte[]{(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})).isEqualTo(0);
        assertThat(Utf8.firstInvalid(new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}))
                .isEqualTo(0);
        assertThat(Utf8.firstInvalid(new byte[]{'x', (byte) 0xC3})).isEqualTo(1); // cut short
        assertThat(Utf8.firstInvalid(new byte[]{(byte) 0xE2, (byte) 0x28, (byte) 0xA1})).isEqualTo(0);
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(7);
        int invalid = 0;
        for (int i = 0; i < 100_000; i++) {
            // Short arrays dense in lead and continuation bytes; longer ones mostly ASCII with a rare high
            // byte anywhere, which exercises the eight-bytes-at-a-time path and its edges.
            boolean dense = i % 2 == 0;
            byte[] b = new byte[dense ? random.nextInt(8) : random.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                boolean ascii = dense ? random.nextInt(4) == 0 : random.nextInt(20) != 0;
                b[k] = (byte) (ascii ? random.nextInt(128) : 0x80 + random.nextInt(128));
            }
            boolean jdk = jdkStrictlyValid(b);
            assertThat(Utf8.isValid(b)).as("bytes %s", java.util.HexFormat.of().formatHex(b)).isEqualTo(jdk);
            if (!jdk) {
                invalid++;
            }
        }
        assertThat(invalid).isBetween(10_000, 99_000); // both kinds were exercised
    }

    private static boolean jdkStrictlyValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
