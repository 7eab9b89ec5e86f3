package io.exportcounter.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.Dimension;
import io.exportcounter.contract.Forecast;
import io.exportcounter.contract.Milestone;
import io.exportcounter.contract.MilestoneKind;
import io.exportcounter.contract.Money;
import io.exportcounter.contract.RecordMeasure;
import io.exportcounter.contract.Total;
import io.exportcounter.testsupport.TradeYear;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard page alone in a headless Chromium, against a stand-in for the API: the answers and live
 * events are contract JSON the test chooses (the v2 milestone kinds, totals to animate between), served
 * with the page's own content security policy. No Kafka: what is checked is what the page draws.
 */
class DashboardIT {
    private static final ContractJson JSON = ContractJson.instance();
    private static final String DASHBOARD = "/io/exportcounter/serving/dashboard/";

    private Javalin api;
    private final AtomicReference<Total> total = new AtomicReference<>();
    private final AtomicReference<List<Milestone>> milestones = new AtomicReference<>(List.of());
    private final AtomicReference<Forecast> forecast = new AtomicReference<>(
            StoreQueriesTest.forecast("2025", Dimension.NATIONAL, "KR", "2025-12-15T18:00:00+09:00"));
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private WebDriver driver;

    @BeforeEach
    void startApi() {
        total.set(national("640234567890.12", "2025-11-28T17:59:59+09:00"));
        api = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.disableCompression();
        });
        api.get("/", ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
        api.get("/assets/{name}", ctx -> {
            String name = ctx.pathParam("name");
            asset(ctx, name, name.endsWith(".css") ? "text/css; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml");
        });
        api.get("/api/v1/thresholds", ctx -> json(ctx, Json.object().put("country", "KR").put("zone", "Asia/Seoul")
                .set("thresholds", Json.MAPPER.createArrayNode().add(Json.object().put("dimension", "NATIONAL").put("member", "KR")
                        .set("thresholdsUsd", Json.MAPPER.createArrayNode().add("600000000000.00").add("700000000000.00"))))));
        api.get("/api/v1/periods", ctx -> json(ctx, Json.object().set("years", Json.MAPPER.createArrayNode().add("2025"))));
        api.get("/api/v1/totals/2025", ctx -> ctx.contentType("application/json").result(JSON.write(total.get())));
        api.get("/api/v1/totals/2025/{dimension}", ctx -> {
            ObjectNode out = Json.object().put("period", "2025").put("dimension", ctx.pathParam("dimension"))
                    .put("throughMonth", 11).put("totalUsd", "0.00");
            out.putArray("members");
            out.putObject("previousYear").put("period", "2024").put("totalUsd", "0.00").putArray("members");
            json(ctx, out);
        });
        api.get("/api/v1/monthly/2025", ctx -> json(ctx, monthly()));
        api.get("/api/v1/forecast/2025", ctx -> ctx.contentType("application/json").header("Cache-Control", "no-store")
                .result(JSON.write(forecast.get())));
        api.get("/api/v1/milestones", ctx -> {
            ObjectNode out = Json.object().put("period", ctx.queryParam("period"));
            ArrayNode list = out.putArray("milestones");
            milestones.get().forEach(m -> list.add(Json.tree(JSON.write(m))));
            json(ctx, out);
        });
        api.get("/api/v1/status", ctx -> json(ctx, Json.object().put("state", "RUNNING").put("totalsOwner", "localhost:1")
                .put("waitingDeclarations", 0).put("rejected", 0)
                .<ObjectNode>set("lag", Json.object().put("total", 0))
                .set("instances", Json.MAPPER.createArrayNode().add(Json.object()))));
        api.sse("/api/v1/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            clients.add(client);
        });
        api.start(0);
    }

    @AfterEach
    void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            api.stop();
        }
    }

    @Test
    void the_milestones_panel_badges_each_kind_of_record_and_the_chart_marks_calendar_month_records() throws Exception {
        milestones.set(List.of(
                milestone("2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD", MilestoneKind.CALENDAR_MONTH_RECORD, "2025-06",
                        "2025-06-27T16:00:00+09:00", "57070000000.00", story("2024-06", "2018", 1, null, null, null)),
                milestone("2025-09|NATIONAL|KR|RECORD", MilestoneKind.MONTHLY_RECORD, "2025-09", "2025-09-26T11:00:00+09:00",
                        "61380000000.00", story("2024-12", "2018", null, null, null, null)),
                milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE", MilestoneKind.YEAR_TO_DATE_RECORD, "2025-Q3",
                        "2025-10-01T00:00:00+09:00", "85000000000.00", story("2024-Q3", "2018", null, RecordMeasure.VALUE, null, null)),
                milestone("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS", MilestoneKind.YEAR_TO_DATE_RECORD, "2025-Q3",
                        "2025-10-01T00:00:00+09:00", "85000000000.00",
                        story("2024-Q3", "2018", null, RecordMeasure.EXPORTERS, 96_123L, 95_000L)),
                milestone("2025|NATIONAL|KR|600000000000", MilestoneKind.THRESHOLD, "2025", "2025-11-03T10:12:00+09:00",
                        "600000000000.00", Milestone.Story.threshold(false, "2018", new BigDecimal("500000000000.00"), "2011")),
                milestone("2025-11|NATIONAL|KR|CALENDAR_MONTH_RECORD", MilestoneKind.CALENDAR_MONTH_RECORD, "2025-11",
                        "2025-11-27T15:00:00+09:00", "56340000000.00", story("2024-11", "2018", 6, null, null, null)),
                milestone("2025|NATIONAL|KR|ANNUAL_RECORD", MilestoneKind.ANNUAL_RECORD, "2025", "2025-12-20T11:36:00+09:00",
                        "683800000000.00", story("2024", "1995", null, null, null, null)),
                milestone("2025|NATIONAL|KR|700000000000", MilestoneKind.THRESHOLD, "2025", "2025-12-29T13:03:27+09:00",
                        "700000000000.00", Milestone.Story.threshold(true, null, new BigDecimal("600000000000.00"), "2018"))));
        driver = open();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    driver.findElements(By.cssSelector("#milestone-list .milestone")).size() == 8
                            && !driver.findElements(By.cssSelector("#monthly-chart .calendar-marker")).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        }

        assertThat(item("2025|NATIONAL|KR|700000000000")).isEqualTo(List.of("First time", "$700 billion"));
        assertThat(item("2025|NATIONAL|KR|600000000000")).isEqualTo(List.of("$600 billion"));
        assertThat(detail("2025|NATIONAL|KR|600000000000")).contains("first reached 2018");
        assertThat(item("2025|NATIONAL|KR|ANNUAL_RECORD"))
                .isEqualTo(List.of("Annual record", "2025 passed 2024's $683.8B (records since 1995)"));
        assertThat(item("2025-11|NATIONAL|KR|CALENDAR_MONTH_RECORD"))
                .isEqualTo(List.of("Calendar-month record", "streak 6", "November 2025 passed November 2024's $56.3B (records since 2018)"));
        // A streak of one is no streak.
        assertThat(item("2025-06|NATIONAL|KR|CALENDAR_MONTH_RECORD"))
                .isEqualTo(List.of("Calendar-month record", "June 2025 passed June 2024's $57.1B (records since 2018)"));
        assertThat(item("2025-09|NATIONAL|KR|RECORD"))
                .isEqualTo(List.of("Monthly record (all months since 2018)", "September 2025 passed December 2024's $61.4B"));
        assertThat(item("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE")).isEqualTo(List.of("Year-to-date record · value",
                "SMEs: Jan–Sep 2025 passed Jan–Sep 2024's $85.0B (records since 2018)"));
        assertThat(item("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|EXPORTERS")).isEqualTo(List.of("Year-to-date record · exporters",
                "SMEs: Jan–Sep 2025: 96,123 exporters, passing Jan–Sep 2024's 95,000 (records since 2018)"));
        // A year-to-date record names no declaration.
        assertThat(detail("2025-Q3|EXPORTER_SIZE|SME|YEAR_TO_DATE_RECORD|VALUE")).doesNotContain("decl.").doesNotContain("null");

        // The chart: the all-time record month in gold, calendar-month records marked, with a legend entry for each.
        assertThat(barClass("2025-09")).contains("bar-record").doesNotContain("bar-calendar-record");
        assertThat(barClass("2025-06")).contains("bar-current", "bar-calendar-record");
        assertThat(barClass("2025-11")).contains("bar-calendar-record");
        assertThat(barClass("2025-10")).contains("bar-current").doesNotContain("record");
        assertThat(driver.findElements(By.cssSelector("#monthly-chart .calendar-marker")).stream()
                .map(e -> e.getDomAttribute("data-month")).toList()).containsExactlyInAnyOrder("2025-06", "2025-11");
        assertThat(driver.findElement(By.id("legend-calendar")).getText()).isEqualTo("Calendar-month record");
        assertThat(driver.findElement(By.id("legend-calendar-key")).isDisplayed()).isTrue();

        // A live calendar-month record: on the banner with its streak, in the list and on the chart.
        Milestone december = milestone("2025-12|NATIONAL|KR|CALENDAR_MONTH_RECORD", MilestoneKind.CALENDAR_MONTH_RECORD,
                "2025-12", "2025-12-29T13:03:27+09:00", "61380000000.00", story("2024-12", "2018", 7, null, null, null));
        List<Milestone> withDecember = new ArrayList<>(milestones.get());
        withDecember.add(december);
        milestones.set(withDecember);
        send("total", JSON.write(new Total("2025-12", Dimension.NATIONAL, "KR", new BigDecimal("69570000000.00"), 1_000,
                OffsetDateTime.parse("2025-12-29T13:03:27+09:00"), 50_000L)));
        send("milestone", JSON.write(december));
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                    driver.findElement(By.id("banner")).getDomAttribute("class").contains("show")
                            && driver.findElements(By.cssSelector("#monthly-chart .calendar-marker")).size() == 3);
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        }
        assertThat(driver.findElement(By.id("banner-kind")).getDomProperty("textContent")).isEqualTo("Calendar-month record · streak 7");
        assertThat(driver.findElement(By.id("banner-title")).getDomProperty("textContent")).isEqualTo("Korea's exports in December 2025: the highest December on record");
        assertThat(item("2025-12|NATIONAL|KR|CALENDAR_MONTH_RECORD")).startsWith("Calendar-month record", "streak 7");
        Files.createDirectories(Path.of("target"));
        ((JavascriptExecutor) driver).executeScript("document.getElementById('banner').classList.remove('show')");
        Thread.sleep(900);
        Files.write(Path.of("target", "dashboard-records.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        assertNoConsoleErrors();
    }

    @Test
    void the_counter_only_ever_shows_values_between_the_two_it_animates_between() {
        driver = HeadlessChromium.start();
        // Before the page runs: every animation frame is stamped 120 ms before it really began (a frame's
        // timestamp may precede the animation's start), and every value the counter shows is recorded.
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => {
                  const raf = window.requestAnimationFrame.bind(window);
                  window.requestAnimationFrame = (cb) => raf((t) => cb(t - 120));
                  window.__drawn = [];
                  new MutationObserver(() => {
                    const d = document.getElementById('total-dollars');
                    const c = document.getElementById('total-cents');
                    if (d && c) window.__drawn.push(d.textContent + c.textContent);
                  }).observe(document, { subtree: true, childList: true, characterData: true });
                })();
                """));
        driver.get("http://localhost:" + api.port() + "/");
        long first = Money.toCents(new BigDecimal("640234567890.12"));
        settle(first);
        assertDrawnBetween(0, first);

        // Up, as declarations are counted
        long up = Money.toCents(new BigDecimal("709700000000.00"));
        ((JavascriptExecutor) driver).executeScript("window.__drawn = []");
        push(national("709700000000.00", "2025-12-31T23:59:00+09:00"));
        settle(up);
        assertDrawnBetween(first, up);

        // Down, as a correction withdraws some
        long down = Money.toCents(new BigDecimal("709612345678.90"));
        ((JavascriptExecutor) driver).executeScript("window.__drawn = []");
        push(national("709612345678.90", "2025-12-31T23:59:00+09:00"));
        settle(down);
        assertDrawnBetween(down, up);
        assertNoConsoleErrors();
    }

    @Test
    void the_forecast_panel_says_when_the_next_threshold_is_expected_and_the_chart_draws_the_projected_year_end()
            throws Exception {
        driver = open();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    driver.findElement(By.id("forecast")).isDisplayed()
                            && !driver.findElements(By.cssSelector("#monthly-chart .projection-dot")).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        }

        // The panel, marked as an estimate: the next threshold with its range and probability, the year end with its range
        assertThat(text("forecast-threshold")).isEqualTo("$700B expected Dec 29 around 2 p.m.");
        assertThat(text("forecast-threshold-sub")).isEqualTo("range Dec 28 10 a.m. – Dec 30 11 a.m. · 97% likely this year");
        assertThat(text("forecast-yearend")).isEqualTo("Year end $709.1B");
        assertThat(text("forecast-yearend-sub")).isEqualTo("range $703.0B – $715.0B");
        assertThat(text("forecast-asof")).isEqualTo("as of Dec 15, 6:00 p.m. KST");
        assertThat(driver.findElement(By.cssSelector("#forecast .tag-estimate")).getText()).isEqualToIgnoringCase("Estimate");

        // The chart: the year to date month by month, dashed on to the projected year end with its 80% range
        WebElement end = driver.findElement(By.cssSelector("#monthly-chart .projection-dot"));
        assertThat(end.getDomAttribute("data-cents")).isEqualTo(Long.toString(Money.toCents(new BigDecimal("709100000000.00"))));
        assertThat(driver.findElements(By.cssSelector("#monthly-chart .cumulative-dot"))).hasSize(11);
        assertThat(driver.findElements(By.cssSelector("#monthly-chart .projection-line"))).hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#monthly-chart .projection-range"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#monthly-chart .projection-label")).getDomProperty("textContent"))
                .isEqualTo("Projected year end $709.1B (80%: $703.0B – $715.0B)");
        // On its own axis: the year end is drawn above November's year to date, which is above October's
        List<WebElement> dots = driver.findElements(By.cssSelector("#monthly-chart .cumulative-dot"));
        double endY = Double.parseDouble(end.getDomAttribute("cy"));
        double novY = Double.parseDouble(dots.get(10).getDomAttribute("cy"));
        assertThat(endY).isLessThan(novY).isLessThan(Double.parseDouble(dots.get(9).getDomAttribute("cy")));
        assertThat(driver.findElement(By.id("legend-projection")).isDisplayed()).isTrue();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard-forecast.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        assertNoConsoleErrors();
    }

    @Test
    void a_forecast_that_cannot_say_yet_reads_so_and_the_panel_follows_new_forecasts() {
        driver = open();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    text("forecast-threshold").startsWith("$700B expected"));
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        }

        // When stage 2's next forecast does not expect $700B this year and has nothing to measure its error with yet
        // (no ranges, no probability), and nothing of $800B this year, and the total moves
        forecast.set(new Forecast("2025", Dimension.NATIONAL, "KR", OffsetDateTime.parse("2025-11-28T18:00:00+09:00"),
                new BigDecimal("640234567890.12"), new BigDecimal("688000000000.00"), null,
                List.of(new Forecast.ThresholdForecast(new BigDecimal("700000000000.00"), null, null,
                        new Forecast.TimeRange(null, null), null)), "early in the year: no range yet"));
        push(national("640234567890.12", "2025-11-28T18:00:00+09:00"));

        // Then the panel says so, without a made-up time or range
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    text("forecast-threshold").equals("$700B not expected this year"));
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        }
        assertThat(text("forecast-threshold-sub")).isEqualTo("no range yet");
        assertThat(text("forecast-yearend")).isEqualTo("Year end $688.0B");
        assertThat(text("forecast-yearend-sub")).isEqualTo("no range yet");
        await().atMost(Duration.ofSeconds(5)).until(() ->
                driver.findElements(By.cssSelector("#monthly-chart .projection-range")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("#monthly-chart .projection-dot")).getDomAttribute("data-cents"))
                .isEqualTo(Long.toString(Money.toCents(new BigDecimal("688000000000.00"))));
        assertThat(driver.findElement(By.cssSelector("#monthly-chart .projection-label")).getDomProperty("textContent"))
                .isEqualTo("Projected year end $688.0B");
        assertThat(driver.findElement(By.id("forecast")).getText()).doesNotContainIgnoringCase("null")
                .doesNotContain("NaN").doesNotContain("undefined");

        // And once the errors are measured: the chance of this year, without a range none of it gives
        forecast.set(new Forecast("2025", Dimension.NATIONAL, "KR", OffsetDateTime.parse("2025-11-28T18:00:00+09:00"),
                new BigDecimal("640234567890.12"), new BigDecimal("688000000000.00"),
                new Forecast.Range(new BigDecimal("684000000000.00"), new BigDecimal("693500000000.00")),
                List.of(new Forecast.ThresholdForecast(new BigDecimal("700000000000.00"), null, null,
                        new Forecast.TimeRange(null, null), new BigDecimal("0.04"))), "measured"));
        push(national("640234567890.12", "2025-11-28T18:00:00+09:00"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                text("forecast-threshold-sub").equals("4% likely this year"));
        assertThat(text("forecast-yearend-sub")).isEqualTo("range $684.0B – $693.5B");
        assertNoConsoleErrors();
    }

    // ------------------------------------------------------------------ helpers

    private String text(String id) {
        return driver.findElement(By.id(id)).getDomProperty("textContent");
    }

    private WebDriver open() {
        WebDriver d = HeadlessChromium.start();
        d.get("http://localhost:" + api.port() + "/");
        return d;
    }

    /** Waits until the counter shows {@code cents} and its animation is over. */
    private void settle(long cents) {
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                    shown() == cents && HeadlessChromium.counterCents(driver) == cents);
            Thread.sleep(300);
        } catch (ConditionTimeoutException e) {
            throw HeadlessChromium.diagnosed(driver, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(shown()).isEqualTo(cents);
    }

    private long shown() {
        return cents(driver.findElement(By.id("total-dollars")).getText() + driver.findElement(By.id("total-cents")).getText());
    }

    @SuppressWarnings("unchecked")
    private void assertDrawnBetween(long low, long high) {
        List<String> drawn = (List<String>) ((JavascriptExecutor) driver).executeScript("return window.__drawn");
        // An animation of 0.9 s draws many frames; with far fewer, the check below would prove nothing.
        assertThat(drawn).hasSizeGreaterThanOrEqualTo(5);
        for (String text : drawn) {
            assertThat(cents(text)).as("counter showed %s while animating between %s and %s", text, Money.format(low),
                    Money.format(high)).isBetween(low, high);
        }
    }

    /** "$1,234.56" as drawn (with a minus sign, U+2212 or '-', or an en dash as the bug showed it) to cents. */
    private static long cents(String text) {
        String t = text.replace(",", "").replace("$", "").strip();
        boolean negative = t.startsWith("\u2212") || t.startsWith("-") || t.startsWith("\u2013");
        if (negative) {
            t = t.substring(1);
        }
        long c = Money.toCents(new BigDecimal(t));
        return negative ? -c : c;
    }

    private void push(Total t) {
        total.set(t);
        send("total", JSON.write(t));
    }

    private void send(String event, byte[] data) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !clients.isEmpty());
        for (SseClient c : clients) {
            c.sendEvent(event, new String(data, StandardCharsets.UTF_8));
        }
    }

    /** The badges and the text of one milestone of the list, in order (whether or not it fits the panel). */
    private List<String> item(String milestoneId) {
        WebElement li = driver.findElement(By.cssSelector("#milestone-list .milestone[data-id='" + milestoneId + "']"));
        List<String> out = new ArrayList<>();
        li.findElements(By.cssSelector(".badge")).forEach(b -> out.add(b.getDomProperty("textContent")));
        out.add(li.findElement(By.cssSelector(".milestone-text")).getDomProperty("textContent"));
        return out;
    }

    private String detail(String milestoneId) {
        return driver.findElement(By.cssSelector("#milestone-list .milestone[data-id='" + milestoneId + "'] .milestone-detail"))
                .getDomProperty("textContent");
    }

    private String barClass(String month) {
        return driver.findElement(By.cssSelector("#monthly-chart rect[data-month='" + month + "']")).getDomAttribute("class");
    }

    private void assertNoConsoleErrors() {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private static Total national(String usd, String asOf) {
        return new Total("2025", Dimension.NATIONAL, "KR", new BigDecimal(usd), 123_456, OffsetDateTime.parse(asOf), 97_000L);
    }

    private static Milestone.Story story(String recordPeriod, String since, Integer streak, RecordMeasure measure, Long exporters,
            Long previousBest) {
        return new Milestone.Story(null, null, null, null, recordPeriod, since, streak, measure, exporters, previousBest);
    }

    private static Milestone milestone(String id, MilestoneKind kind, String period, String crossedAt, String thresholdUsd,
            Milestone.Story story) {
        Milestone m = StoreQueriesTest.milestone(id, kind, period, crossedAt, story);
        return new Milestone(m.milestoneId(), m.kind(), m.type(), m.period(), m.dimension(), m.member(), new BigDecimal(thresholdUsd),
                new BigDecimal(thresholdUsd).add(new BigDecimal("1234.56")), m.crossedAt(), m.crossedAtLocalTime(), m.declarationId(),
                m.detectedAt(), true, story);
    }

    /** 2025 January to November and all of 2024, as published (USD billions). */
    private static ObjectNode monthly() {
        ObjectNode out = Json.object().put("year", "2025").put("country", "KR");
        ArrayNode months = out.putArray("months");
        for (int m = 1; m <= 12; m++) {
            ObjectNode o = months.addObject().put("month", String.format("2025-%02d", m));
            if (m <= 11) {
                o.put("totalUsd", Money.format(Math.round(TradeYear.MONTHS_2025[m - 1] * 1e9) * 100)).put("declarations", 10).put("source", "pipeline");
            } else {
                o.putNull("totalUsd").putNull("declarations").putNull("source");
            }
        }
        ArrayNode previous = out.putObject("previousYear").put("year", "2024").putArray("months");
        for (int m = 1; m <= 12; m++) {
            previous.addObject().put("month", String.format("2024-%02d", m))
                    .put("totalUsd", Money.format(Math.round(TradeYear.MONTHS_2024[m - 1] * 1e9) * 100)).putNull("declarations")
                    .put("source", "history");
        }
        return out;
    }

    private static void json(Context ctx, com.fasterxml.jackson.databind.JsonNode body) {
        ctx.contentType("application/json").header("Cache-Control", "no-store").result(Json.bytes(body));
    }

    private static void asset(Context ctx, String name, String type) throws IOException {
        try (InputStream in = DashboardIT.class.getResourceAsStream(DASHBOARD + name)) {
            if (in == null) {
                ctx.status(404);
                return;
            }
            ctx.header("Content-Security-Policy", ServingServer.CSP).contentType(type).result(in.readAllBytes());
        }
    }
}
