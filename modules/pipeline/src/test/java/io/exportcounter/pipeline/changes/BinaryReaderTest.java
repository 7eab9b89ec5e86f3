package io.exportcounter.pipeline.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BinaryReaderTest {

    @Test
    void reads_what_a_data_output_stream_wrote() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(-7);
        out.writeInt(Integer.MIN_VALUE);
        out.writeLong(-1234567890123456789L);
        out.writeLong(Long.MAX_VALUE);
        out.writeUTF("43210-25-0000001X");
        out.writeUTF("");
        out.writeUTF("Ünïcödé 수출 \u0000 end");
        out.writeUTF("SEMICONDUCTORS");
        out.writeUTF("SEMICONDUCTORS");
        out.writeUTF("수출");
        out.writeUTF("수출");
        BinaryReader in = new BinaryReader(bytes.toByteArray());
        assertThat(in.readByte()).isEqualTo((byte) -7);
        assertThat(in.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(in.readLong()).isEqualTo(-1234567890123456789L);
        assertThat(in.readLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(in.readUTF()).isEqualTo("43210-25-0000001X");
        assertThat(in.readUTF()).isEmpty();
        assertThat(in.readUTF()).isEqualTo("Ünïcödé 수출 \u0000 end");
        String first = in.readCommonUTF();
        String second = in.readCommonUTF();
        assertThat(first).isEqualTo("SEMICONDUCTORS").isSameAs(second);
        assertThat(in.readCommonUTF()).isEqualTo("수출");
        assertThat(in.readCommonUTF()).isEqualTo("수출");
        assertThat(in.available()).isZero();
    }

    @Test
    void a_truncated_record_is_an_error_not_garbage() {
        BinaryReader in = new BinaryReader(new byte[] {0, 9, 'a', 'b'});
        assertThatThrownBy(in::readUTF).isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> new BinaryReader(new byte[3]).readInt()).isInstanceOf(IllegalStateException.class);
    }
}
