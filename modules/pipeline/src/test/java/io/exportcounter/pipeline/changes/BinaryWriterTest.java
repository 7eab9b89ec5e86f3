package io.exportcounter.pipeline.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BinaryWriterTest {

    @Test
    void writes_exactly_what_a_data_output_stream_writes() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        BinaryWriter out = new BinaryWriter(1);
        for (String s : new String[] {"43210-25-0000001X", "", "SEMICONDUCTORS", "Ünïcödé 수출 \u0000 end", "x".repeat(5_000)}) {
            data.writeUTF(s);
            out.writeUTF(s);
        }
        data.writeByte(-7);
        out.writeByte(-7);
        data.writeInt(Integer.MIN_VALUE);
        out.writeInt(Integer.MIN_VALUE);
        data.writeLong(-1234567890123456789L);
        out.writeLong(-1234567890123456789L);
        out.writeBytes(new byte[] {1, 2, 3});
        data.write(new byte[] {1, 2, 3});
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(out.size()).isEqualTo(expected.size());

        BinaryReader in = new BinaryReader(out.toByteArray());
        assertThat(in.readUTF()).isEqualTo("43210-25-0000001X");
        out.reset();
        assertThat(out.size()).isZero();
        assertThat(out.toByteArray()).isEmpty();
    }
}
