package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a stage-1 task counts as read past stage 2's watermark, and when its partition is held back. */
class ReadPastWatermarkTest {
    private final ReadPastWatermark past = new ReadPastWatermark();

    private void read(int n, long latestMs) {
        for (int i = 0; i < n; i++) {
            past.read();
        }
        past.note(latestMs);
    }

    @Test
    void what_was_read_after_the_last_note_at_or_before_the_watermark_counts_as_past_it() {
        // Given 10 declarations read up to t=100, 5 more up to t=200, 7 more up to t=300
        read(10, 100);
        read(5, 200);
        read(7, 300);

        // Then past 200 are the 7 read after it, past 250 too, past 100 the 12 after it, past 50 all 22
        assertThat(past.pastWatermark(50)).isEqualTo(22);
        assertThat(past.pastWatermark(100)).isEqualTo(12);
        assertThat(past.pastWatermark(250)).isEqualTo(7);
        assertThat(past.pastWatermark(200)).isEqualTo(7);
        assertThat(past.pastWatermark(300)).isZero();
    }

    @Test
    void a_partition_is_held_back_past_its_quota_until_it_is_within_half_of_it_and_never_without_a_watermark() {
        read(10, 100);
        read(10, 200);
        read(10, 300);
        // 20 past 100 with a quota of 15: held back
        assertThat(past.holdBack(new StageOnePace(Watermark.at(Instant.ofEpochMilli(100)), Quota.of(15)))).isTrue();
        // 10 past 200: still within the quota, but not yet under half of it
        assertThat(past.holdBack(new StageOnePace(Watermark.at(Instant.ofEpochMilli(200)), Quota.of(15)))).isTrue();
        // 0 past 300: released
        assertThat(past.holdBack(new StageOnePace(Watermark.at(Instant.ofEpochMilli(300)), Quota.of(15)))).isFalse();
        // No watermark, or no quota: never held back
        read(100, 400);
        assertThat(past.holdBack(StageOnePace.NONE)).isFalse();
        assertThat(past.holdBack(new StageOnePace(Watermark.at(Instant.ofEpochMilli(300)), Quota.UNLIMITED))).isFalse();
    }

    @Test
    void notes_are_bounded_when_no_watermark_comes() {
        for (int i = 1; i <= ReadPastWatermark.MAX_NOTES + 10; i++) {
            read(1, i);
        }
        // The oldest notes went: what was read before them counts as past any earlier watermark
        assertThat(past.pastWatermark(0)).isEqualTo(ReadPastWatermark.MAX_NOTES + 10);
        assertThat(past.pastWatermark(ReadPastWatermark.MAX_NOTES + 10)).isZero();
    }

    @Test
    void a_pace_record_survives_its_encoding_and_anything_else_is_refused() {
        StageOnePace pace = new StageOnePace(Watermark.at(Instant.ofEpochMilli(1_766_980_980_000L)), Quota.of(150_000));
        assertThat(StageOnePace.decode(pace.encode())).isEqualTo(pace);
        assertThat(StageOnePace.decode(StageOnePace.NONE.encode())).isEqualTo(StageOnePace.NONE);
        assertThatThrownBy(() -> StageOnePace.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StageOnePace.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
