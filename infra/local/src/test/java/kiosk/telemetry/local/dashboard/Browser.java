package kiosk.telemetry.local.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless Chromium through its chromium-driver, both from the machine's packages (Debian: {@code chromium},
 * {@code chromium-driver}); no driver is downloaded. English (US) locale, so the tests know how numbers look.
 */
final class Browser implements AutoCloseable {

    static final String MISSING = "The dashboard's browser tests need Chromium and its driver: "
            + "apt-get install -y chromium chromium-driver (.ci/run installs them), "
            + "or give their paths with -Ddashboard.chromium=… (or CHROMIUM_BIN) and -Ddashboard.chromedriver=…";

    final ChromeDriver driver;
    private final String base;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Chromium and chromium-driver, or an AssertionError that says how to install them (never a skip). */
    static Browser start(String base) {
        Path chromium = locate("dashboard.chromium", "chromium", "chromium-browser", "google-chrome")
                .orElseThrow(() -> new AssertionError(MISSING + " (no chromium found on PATH)"));
        Path driverBinary = locate("dashboard.chromedriver", "chromedriver")
                .orElseThrow(() -> new AssertionError(MISSING + " (no chromedriver found on PATH)"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--lang=en-US", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--window-size=1280,800");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary.toFile()).usingAnyFreePort().build();
        Browser b = new Browser(new ChromeDriver(service, options), base);
        b.viewport(1280, 800);
        return b;
    }

    private static Optional<Path> locate(String property, String... names) {
        String given = Optional.ofNullable(System.getProperty(property))
                .orElse(property.equals("dashboard.chromium") ? System.getenv("CHROMIUM_BIN") : null);
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(n -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, n)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Sets the page's viewport (window.innerWidth × innerHeight) to exactly this size, as a phone's or a desktop's
     * (DevTools' device metrics: a narrow one behaves as a mobile screen, honouring the page's viewport meta tag).
     */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
        assertEquals(List.of((long) width, (long) height),
                List.of(((Number) js("return window.innerWidth")).longValue(), ((Number) js("return window.innerHeight")).longValue()),
                "viewport");
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Opens the dashboard at this hash (e.g. "#/overview?from=…") and waits until that view has rendered. */
    void open(String hash) {
        String target = base + "/" + hash;
        if (driver.getCurrentUrl().startsWith(base + "/")) {
            // Same page: the router reacts to the new hash, as it does on a link.
            js("location.hash = arguments[0]", hash);
        } else {
            driver.get(target);
        }
        awaitView();
    }

    void reload() {
        driver.navigate().refresh();
        awaitView();
    }

    /** The view of the current URL has finished rendering (its figures, or its error, are on the page). */
    void awaitView() {
        wait.until(d -> Boolean.TRUE.equals(js(
                "const v = document.getElementById('view');"
                        + "return !!v && v.getAttribute('aria-busy') === 'false' && v.dataset.route === location.hash;")));
    }

    String hash() {
        return (String) js("return location.hash");
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    /** The text of each cell, row by row, of the body of the table with this caption. */
    List<List<String>> rows(String caption) {
        @SuppressWarnings("unchecked")
        List<List<String>> rows = (List<List<String>>) js(
                "const t = [...document.querySelectorAll('#view table')].find(t => t.caption && t.caption.textContent === arguments[0]);"
                        + "if (!t) return null;"
                        + "return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()));", caption);
        assertTrue(rows != null, "a table captioned '" + caption + "' is on the page: " + text("#view"));
        return rows;
    }

    /** The viewport as a PNG under target/dashboard-screenshots/{name}-{width}x{height}.png; its path. */
    Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
            Number w = (Number) js("return window.innerWidth");
            Number hgt = (Number) js("return window.innerHeight");
            Path file = dir.resolve(name + "-" + w.intValue() + "x" + hgt.intValue() + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void tab() {
        new Actions(driver).sendKeys(Keys.TAB).perform();
    }

    void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Browser console entries since the last call. */
    List<LogEntry> console() {
        return new ArrayList<>(driver.manage().logs().get(LogType.BROWSER).getAll());
    }

    void awaitTrue(String script, Object... args) {
        wait.until(d -> Boolean.TRUE.equals(js(script, args)));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
