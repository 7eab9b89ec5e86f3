package io.exportcounter.serving;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Debian's headless Chromium driven by its ChromeDriver, for the dashboard tests; they skip without it. */
final class HeadlessChromium {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {
    }

    /** A browser with a 1920x1080 viewport, as on the wall; skips the calling test when Chromium is not installed. */
    static WebDriver start() {
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "Skipped: headless Chromium not installed (apt-get install -y chromium chromium-driver gives "
                        + CHROMIUM + " and " + CHROMEDRIVER + ")");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Without the background-networking flags Chromium keeps calling home, refused by a closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1920,1080", "--force-device-scale-factor=1", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        WebDriver driver = new ChromeDriver(service, options);
        // The window size given at start includes the browser's frame.
        long inner = (Long) ((JavascriptExecutor) driver).executeScript("return window.innerHeight");
        driver.manage().window().setSize(new Dimension(1920, (int) (1080 + 1080 - inner)));
        return driver;
    }

    /** The exact cents the counter shows, -1 before it shows any. */
    static long counterCents(WebDriver driver) {
        String c = driver.findElement(By.id("total")).getAttribute("data-cents");
        return c == null || c.isEmpty() ? -1 : Long.parseLong(c);
    }

    /** What the page showed and logged when a wait failed: a screenshot under target/ and the console. */
    static AssertionError diagnosed(WebDriver driver, Throwable cause) {
        StringBuilder why = new StringBuilder("dashboard did not get there; console:");
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER).getAll()) {
                why.append("\n  ").append(e.getLevel()).append(' ').append(e.getMessage());
            }
            why.append("\ncounter=").append(driver.findElement(By.id("total")).getAttribute("data-cents"))
                    .append(" live=").append(driver.findElement(By.id("live-text")).getText())
                    .append(" status=").append(driver.findElement(By.id("status-line")).getText());
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "dashboard-failure.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (Exception e) {
            why.append("\n(no more diagnostics: ").append(e).append(')');
        }
        return new AssertionError(why.toString(), cause);
    }
}
