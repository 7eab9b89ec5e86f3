package io.exportcounter.pipeline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatermarkTest {
    private static final Instant NOON = Instant.parse("2025-12-29T03:00:00Z");

    @Test
    void none_lets_everything_through_unknown_nothing_and_an_instant_what_is_placed_before_it() {
        assertThat(Watermark.NONE.lets(NOON)).isTrue();
        assertThat(Watermark.UNKNOWN.lets(Instant.EPOCH)).isFalse();
        assertThat(Watermark.at(NOON).lets(NOON.minusNanos(1))).isTrue();
        // The slowest task may still read more of the watermark's own instant
        assertThat(Watermark.at(NOON).lets(NOON)).isFalse();
        assertThat(Watermark.NONE.holdsBack()).isFalse();
        assertThat(Watermark.UNKNOWN.holdsBack()).isTrue();
    }

    @Test
    void a_pace_keeps_its_watermark_to_the_millisecond_and_reads_back_what_it_wrote() {
        for (StageOnePace pace : new StageOnePace[] {StageOnePace.NONE, new StageOnePace(Watermark.UNKNOWN, Quota.of(3)),
                new StageOnePace(Watermark.at(NOON.plusNanos(1_500_000)), Quota.UNLIMITED)}) {
            assertThat(StageOnePace.decode(pace.encode())).isEqualTo(pace);
        }
        assertThat(new StageOnePace(Watermark.at(NOON.plusNanos(1_500_000)), Quota.UNLIMITED).watermark())
                .isEqualTo(Watermark.at(NOON.plusMillis(1)));
    }

    @Test
    void a_quota_is_at_least_one_entry_and_holds_back_past_it_until_within_half() {
        assertThatThrownBy(() -> Quota.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Quota.of(10).exceededBy(11)).isTrue();
        assertThat(Quota.of(10).exceededBy(10)).isFalse();
        assertThat(Quota.of(10).wellWithin(4)).isTrue();
        assertThat(Quota.of(10).wellWithin(5)).isFalse();
        assertThat(Quota.UNLIMITED.exceededBy(Long.MAX_VALUE - 1)).isFalse();
    }
}
