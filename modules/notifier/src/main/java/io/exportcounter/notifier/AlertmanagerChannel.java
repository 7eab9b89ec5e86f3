package io.exportcounter.notifier;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneType;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every milestone as an alert on Alertmanager's v2 API ({@code POST <alertmanager.url>/api/v2/alerts}):
 * a {@code CROSSED} milestone fires the alert, its {@code RETRACTED} resolves the same alert (the same
 * labels, {@code endsAt} now). A forecast's heads-up fires an alert of its own ({@link #headsUpAlert}).
 *
 * <p>Labels: {@code alertname=ExportMilestone}, {@code milestone_id} (so that alerts of different
 * milestones never merge), {@code kind}, {@code period}, {@code dimension}, {@code member} and
 * {@code severity} ({@code alertmanager.severity}). The milestone's type is not a label: that is what
 * makes the retraction the same alert. Annotations: {@code summary} (the e-mail subject),
 * {@code description} (the English notice) and {@code description_ko} (the Korean one).
 * {@code startsAt} is when the pipeline detected the milestone; a firing alert has no {@code endsAt}, so
 * Alertmanager ends it after its {@code resolve_timeout} (a milestone is an event, and the notifier posts
 * it once, not again and again as Prometheus does with a rule that keeps firing).
 *
 * <p>Once per occurrence, as every channel: the notifier's delivery records, retries and dead letters.
 * Alertmanager has no idempotency key, but it needs none: posting the same labels again (a retry, or
 * the repeat after a crash between the post and the delivery record) updates the alert already there
 * rather than adding one.
 */
final class AlertmanagerChannel implements Channel {
    static final String NAME = "alertmanager";
    static final String ALERT_NAME = "ExportMilestone";
    /** The alert of a forecast's heads-up: its own name, so it never merges with the milestone's alert. */
    static final String APPROACHING_ALERT_NAME = "ExportMilestoneApproaching";
    static final String API_PATH = "/api/v2/alerts";

    private final HttpPoster poster;
    private final String severity;
    private final URI generatorBase;
    private final Clock clock;

    /**
     * @param baseUrl       the Alertmanager (with its route prefix, if any), e.g. {@code http://alertmanager:9093}
     * @param severity      the {@code severity} label of every alert
     * @param generatorBase the serving API whose {@code /api/v1/milestones?period=} each alert links to, or null
     * @param clock         what "now" is for a resolved alert's {@code endsAt}
     */
    AlertmanagerChannel(URI baseUrl, Duration connectTimeout, Duration timeout, String severity, URI generatorBase,
            Clock clock) {
        this.poster = new HttpPoster(alertsEndpoint(baseUrl), connectTimeout, timeout);
        this.severity = severity;
        this.generatorBase = generatorBase;
        this.clock = clock;
    }

    /** {@code <base>/api/v2/alerts}; a URL that already ends so is taken as it is. */
    static URI alertsEndpoint(URI baseUrl) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(base.endsWith(API_PATH) ? base : base + API_PATH);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Attempt attempt(Delivery d) throws InterruptedException {
        return poster.post(Json.alertmanagerAlerts(alertsFor(d, clock.instant())),
                Map.of("Content-Type", "application/json"));
    }

    /**
     * The alerts posted for {@code d}. Each kind of notice maps to its own alerts here (a forecast heads-up
     * gets its own {@code alertname}); posting, retries and delivery records are the same for all.
     */
    List<AlertmanagerAlert> alertsFor(Delivery d, Instant now) {
        if (d instanceof HeadsUpDelivery h) {
            return List.of(headsUpAlert(h));
        }
        return List.of(milestoneAlert((MilestoneDelivery) d, now));
    }

    /**
     * The alert of a heads-up: {@code alertname=ExportMilestoneApproaching}, with the {@code milestone_id} of the
     * milestone it anticipates (an inhibit rule with {@code equal: [milestone_id]} can silence it once the
     * milestone fires), {@code period} (the year), {@code dimension}, {@code member} and {@code severity}; the
     * annotations of a milestone's alert plus {@code expected_at}. {@code startsAt} is the forecast's {@code asOf};
     * no {@code endsAt}, as for a milestone.
     */
    AlertmanagerAlert headsUpAlert(HeadsUpDelivery d) {
        HeadsUp h = d.headsUp();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", APPROACHING_ALERT_NAME);
        labels.put("milestone_id", h.milestoneId());
        labels.put("period", h.forecast().year());
        labels.put("dimension", h.forecast().dimension().name());
        labels.put("member", h.forecast().member());
        labels.put("severity", severity);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", d.notice().subject());
        annotations.put("description", d.notice().en());
        annotations.put("description_ko", d.notice().ko());
        annotations.put("expected_at", ContractJson.formatDateTime(h.threshold().expectedAt()));
        String generatorUrl = generatorBase == null ? null : generatorBase.toString().replaceAll("/+$", "")
                + "/api/v1/forecast/" + h.forecast().year() + "/" + h.forecast().dimension().name() + "/"
                + URLEncoder.encode(h.forecast().member(), StandardCharsets.UTF_8);
        return new AlertmanagerAlert(labels, annotations, d.happenedAt(), null, generatorUrl);
    }

    /** The alert of a milestone: firing on CROSSED, resolved at {@code now} on RETRACTED. */
    AlertmanagerAlert milestoneAlert(MilestoneDelivery d, Instant now) {
        Milestone m = d.milestone();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", d.notice().subject());
        annotations.put("description", d.notice().en());
        annotations.put("description_ko", d.notice().ko());
        // A retraction comes later than its crossing; Alertmanager keeps the earlier startsAt of the alert it
        // resolves. endsAt is never before startsAt (which Alertmanager refuses), even with skewed clocks.
        Instant startsAt = m.detectedAt();
        Instant endsAt = m.type() == MilestoneType.RETRACTED ? max(now, startsAt) : null;
        return new AlertmanagerAlert(labels(m), annotations, startsAt, endsAt, generatorUrl(m));
    }

    /** The labels of a milestone's alert: the same for its CROSSED and its RETRACTED. */
    Map<String, String> labels(Milestone m) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERT_NAME);
        labels.put("milestone_id", m.milestoneId());
        labels.put("kind", m.kind().name());
        labels.put("period", m.period());
        labels.put("dimension", m.dimension().name());
        labels.put("member", m.member());
        labels.put("severity", severity);
        return labels;
    }

    private String generatorUrl(Milestone m) {
        if (generatorBase == null) {
            return null;
        }
        return generatorBase.toString().replaceAll("/+$", "") + "/api/v1/milestones?period="
                + URLEncoder.encode(m.period(), StandardCharsets.UTF_8);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
