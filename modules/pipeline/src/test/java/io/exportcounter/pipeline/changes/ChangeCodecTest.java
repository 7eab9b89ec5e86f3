package io.exportcounter.pipeline.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.exportcounter.contract.ExporterSize;
import io.exportcounter.pipeline.changes.ChangeCodec.Position;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00.123456789Z");
    private static final ChangeEntry AMENDMENT = new ChangeEntry("D-2", 1, contribution(100, NOON), contribution(250, NOON),
            NOON.plusSeconds(60));

    @Test
    void an_idle_claim_goes_through_a_batch_with_how_far_the_task_had_read() {
        Position idle = new Position(3, NOON, true, 1_234_567_890_123L);
        ChangeCodec.Batch batch = ChangeCodec.decode(ChangeCodec.encodeBatch(idle, List.of(AMENDMENT)));
        assertThat(batch.position()).isEqualTo(idle);
        assertThat(batch.entries()).containsExactly(AMENDMENT);
    }

    @Test
    void positions_without_an_offset_go_through_and_cost_no_more_than_before() {
        for (Position p : List.of(new Position(1, NOON, false), new Position(2, null, true), new Position(4, NOON, true, 0),
                Position.UNKNOWN)) {
            assertThat(ChangeCodec.decode(ChangeCodec.encodeBatch(p, List.of())).position()).isEqualTo(p);
        }
        assertThat(ChangeCodec.encodeBatch(new Position(1, NOON, true), List.of())).hasSize(1 + 4 + 1 + 12);
        assertThat(ChangeCodec.encodeBatch(new Position(1, NOON, true, 7), List.of())).hasSize(1 + 4 + 1 + 12 + 8);
    }

    @Test
    void a_reading_task_claims_no_offset() {
        assertThat(new Position(1, NOON, false, 99).readTo()).isEqualTo(Position.UNKNOWN_OFFSET);
    }

    @Test
    void a_batch_of_the_previous_format_is_read_with_an_idle_claim_that_does_not_say_how_far() {
        // As the previous release wrote it: V4 header (version, partition, flags, watermark), then V4 entries
        BinaryWriter v4 = new BinaryWriter(128);
        v4.writeByte(ChangeCodec.FORMAT_V4);
        v4.writeInt(5);
        v4.writeByte(1 | 2);
        v4.writeLong(NOON.getEpochSecond());
        v4.writeInt(NOON.getNano());
        ChangeCodec.writeEntry(v4, AMENDMENT);

        ChangeCodec.Batch batch = ChangeCodec.decode(v4.toByteArray());
        assertThat(batch.position()).isEqualTo(new Position(5, NOON, true, Position.UNKNOWN_OFFSET));
        assertThat(batch.entries()).containsExactly(AMENDMENT);
    }

    private static Contribution contribution(long cents, Instant at) {
        return new Contribution(cents, at, "E-1", ExporterSize.LARGE, "SEMICONDUCTORS", "US", "NORTH_AMERICA");
    }
}
