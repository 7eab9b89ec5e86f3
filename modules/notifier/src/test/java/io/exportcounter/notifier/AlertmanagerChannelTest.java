package io.exportcounter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exportcounter.contract.Milestone;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alerts the Alertmanager channel posts, without a network. */
class AlertmanagerChannelTest {
    private static final Instant NOW = Instant.parse("2025-12-30T02:00:00.250Z");

    private final Notices notices = Notices.load(NotifierConfig.defaults());
    private final AlertmanagerChannel channel = new AlertmanagerChannel(URI.create("http://127.0.0.1:9093"),
            Duration.ofSeconds(1), Duration.ofSeconds(1), "info", URI.create("https://counter.example.com/"),
            Clock.systemUTC());

    @Test
    void a_crossing_fires_an_alert_labelled_by_its_milestone() {
        MilestoneDelivery d = delivery(Milestones.korea700B());

        AlertmanagerAlert alert = channel.milestoneAlert(d, NOW);

        assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(Milestones.korea700BAlertLabels());
        assertThat(alert.annotations()).containsOnly(
                entry("summary", d.notice().subject()),
                entry("description", d.notice().en()),
                entry("description_ko", d.notice().ko()));
        assertThat(alert.annotations().get("description_ko")).startsWith("2025년 12월 29일 오후 1시 3분 기준");
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2025-12-29T04:03:27.412Z"));
        // Firing: no end of its own (Alertmanager's resolve_timeout ends it)
        assertThat(alert.endsAt()).isNull();
        assertThat(alert.generatorUrl()).isEqualTo("https://counter.example.com/api/v1/milestones?period=2025");
    }

    @Test
    void its_retraction_resolves_the_same_alert_now() {
        Milestone crossed = Milestones.korea700B();
        Milestone retracted = Milestones.retracted(crossed, "699987654321.00", "2025-12-29T09:12:00+09:00",
                Instant.parse("2025-12-30T00:12:00Z"));

        AlertmanagerAlert fired = channel.milestoneAlert(delivery(crossed), NOW);
        AlertmanagerAlert resolved = channel.milestoneAlert(delivery(retracted), NOW);

        assertThat(resolved.labels()).isEqualTo(fired.labels());
        assertThat(resolved.endsAt()).isEqualTo(NOW);
        assertThat(resolved.startsAt()).isEqualTo(Instant.parse("2025-12-30T00:12:00Z"));
        assertThat(resolved.annotations().get("summary")).startsWith("[Export Counter] Correction:");
        // A clock behind the pipeline's never makes an alert that ends before it starts
        assertThat(channel.milestoneAlert(delivery(retracted), Instant.parse("2025-12-30T00:00:00Z")).endsAt())
                .isEqualTo(resolved.startsAt());
    }

    @Test
    void different_milestones_are_different_alerts() {
        Milestone k700 = Milestones.korea700B();
        Milestone k800 = Milestones.threshold("2025", k700.dimension(), "KR", "800000000000.00", "800000000100.00",
                "2025-12-30T10:00:00+09:00", Instant.parse("2025-12-30T01:00:00.100Z"));

        assertThat(channel.labels(k800)).isNotEqualTo(channel.labels(k700));
    }

    @Test
    void the_body_is_the_v2_api_list_of_postable_alerts() throws Exception {
        Milestone crossed = Milestones.korea700B();
        Milestone retracted = Milestones.retracted(crossed, "699987654321.00", "2025-12-29T09:12:00+09:00",
                Instant.parse("2025-12-30T00:12:00Z"));

        JsonNode fired = new ObjectMapper().readTree(Json.alertmanagerAlerts(channel.alertsFor(delivery(crossed), NOW)));
        JsonNode resolved = new ObjectMapper().readTree(Json.alertmanagerAlerts(List.of(
                channel.milestoneAlert(delivery(retracted), NOW))));

        assertThat(fired.isArray()).isTrue();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).get("labels").get("milestone_id").asText()).isEqualTo("2025|NATIONAL|KR|700000000000");
        assertThat(fired.get(0).get("annotations").get("description").asText()).startsWith("As of 1:03 p.m.");
        assertThat(fired.get(0).get("startsAt").asText()).isEqualTo("2025-12-29T04:03:27.412Z");
        assertThat(fired.get(0).has("endsAt")).isFalse();
        assertThat(fired.get(0).get("generatorURL").asText()).isEqualTo("https://counter.example.com/api/v1/milestones?period=2025");
        assertThat(resolved.get(0).get("endsAt").asText()).isEqualTo("2025-12-30T02:00:00.250Z");
    }

    @Test
    void the_endpoint_is_the_v2_alerts_api_of_the_configured_alertmanager() {
        assertThat(AlertmanagerChannel.alertsEndpoint(URI.create("http://am:9093")))
                .hasToString("http://am:9093/api/v2/alerts");
        assertThat(AlertmanagerChannel.alertsEndpoint(URI.create("https://ops.example.com/alertmanager/")))
                .hasToString("https://ops.example.com/alertmanager/api/v2/alerts");
        assertThat(AlertmanagerChannel.alertsEndpoint(URI.create("http://am:9093/api/v2/alerts")))
                .hasToString("http://am:9093/api/v2/alerts");
    }

    private MilestoneDelivery delivery(Milestone m) {
        return Delivery.of(m, notices.write(m));
    }

    @Test
    void a_heads_up_fires_an_alert_of_its_own_name_with_the_milestone_id_it_anticipates() {
        io.exportcounter.contract.Forecast f = Forecasts.korea("2025-12-28T18:00:00+09:00", "2025-12-29T14:20:00+09:00");
        HeadsUp h = new HeadsUp(f, f.thresholds().get(0));
        HeadsUpDelivery d = HeadsUpDelivery.of(h, notices.write(h), NOW);

        List<AlertmanagerAlert> alerts = channel.alertsFor(d, NOW);

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.labels()).containsOnly(
                    entry("alertname", "ExportMilestoneApproaching"),
                    entry("milestone_id", "2025|NATIONAL|KR|700000000000"),
                    entry("period", "2025"),
                    entry("dimension", "NATIONAL"),
                    entry("member", "KR"),
                    entry("severity", "info"));
            assertThat(alert.annotations()).containsOnly(
                    entry("summary", d.notice().subject()),
                    entry("description", d.notice().en()),
                    entry("description_ko", d.notice().ko()),
                    entry("expected_at", "2025-12-29T14:20:00+09:00"));
            assertThat(alert.startsAt()).isEqualTo(Instant.parse("2025-12-28T09:00:00Z"));
            assertThat(alert.endsAt()).isNull();
            assertThat(alert.generatorUrl()).isEqualTo("https://counter.example.com/api/v1/forecast/2025/NATIONAL/KR");
        });
        // Never the milestone's own alert: its labels differ by alertname.
        assertThat(alerts.get(0).labels()).isNotEqualTo(channel.milestoneAlert(delivery(Milestones.korea700B()), NOW).labels());
    }
}
