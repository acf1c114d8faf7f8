package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A page checked as a person would look at it: opened in headless Chromium (Debian's {@code
 * chromium} and {@code chromedriver}, driven by Selenium), with no error on the browser's console,
 * every figure ({@code class="figure"}: inline SVG or an image) drawn at the size the page gives
 * it ({@code data-width}, {@code data-height}) and not blank, and a full-page screenshot saved.
 *
 * <p>Chromium runs with a fresh profile and without the background services that would reach
 * Google's hosts (sync, component updates, QUIC, first-run): the pages it opens are on loopback,
 * and so is everything it talks to.
 */
final class BrowserCheck implements AutoCloseable {
  /** Debian's Chromium and its driver (the {@code chromium} and {@code chromium-driver} packages). */
  static final Path CHROMIUM = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));

  /** How long a page may take to load. */
  static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path profile;

  /**
   * What the browser saw of one page.
   *
   * @param figures the figures checked
   * @param loadMillis the fastest of the loads (navigation start to the end of the load event)
   * @param screenshot the full-page screenshot
   */
  record Result(int figures, long loadMillis, Path screenshot) {}

  BrowserCheck() throws IOException {
    assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)")
        .isExecutable();
    assertThat(CHROMEDRIVER).as("Debian's chromedriver").isExecutable();
    profile = Files.createTempDirectory("e2e-chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    // The pages need a viewer's bearer token, as every API does: the browser sends the local
    // user's with every request (Chrome DevTools Protocol, Network.setExtraHTTPHeaders).
    if (Http.token != null) {
      driver.executeCdpCommand("Network.enable", Map.of());
      driver.executeCdpCommand("Network.setExtraHTTPHeaders",
          Map.of("headers", Map.of("Authorization", "Bearer " + Http.token)));
    }
  }

  /**
   * Opens {@code url} {@code loads} times, checks it, saves its screenshot to {@code screenshot}.
   *
   * @param minFigures at least this many figures are expected
   */
  Result check(URI url, int minFigures, int loads, Path screenshot) throws IOException {
    assertThat(url.getHost()).as("tests talk to loopback only").isIn("127.0.0.1", "localhost");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < loads; i++) {
      driver.get(url.toString());
      long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
      Number load;
      // The load event's end, once there is one (0 while the page is still loading).
      while ((load = (Number) driver.executeScript("const n = performance.getEntriesByType("
          + "'navigation')[0]; return document.readyState === 'complete' && n && n.loadEventEnd"
          + " > 0 ? n.loadEventEnd - n.startTime : -1;")).doubleValue() < 0) {
        assertThat(System.nanoTime()).as(url + " loaded within " + LOAD_TIMEOUT)
            .isLessThan(deadline);
        pause();
      }
      best = Math.min(best, load.longValue());
    }
    List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertThat(errors).as("console errors and warnings of " + url).isEmpty();

    List<WebElement> figures = driver.findElements(org.openqa.selenium.By.className("figure"));
    assertThat(figures).as("figures of " + url).hasSizeGreaterThanOrEqualTo(minFigures);
    List<String> problems = new ArrayList<>();
    int screenshots = 0;
    for (int i = 0; i < figures.size(); i++) {
      WebElement f = figures.get(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) driver.executeScript("const e = "
          + "arguments[0]; e.scrollIntoView(); const r = e.getBoundingClientRect(); return {tag:"
          + " e.tagName.toLowerCase(), w: r.width, h: r.height, dw: +e.dataset.width, dh: "
          + "+e.dataset.height, natural: e.tagName === 'IMG' ? e.naturalWidth : -1, complete: "
          + "e.tagName === 'IMG' ? e.complete : true, parts: e.childElementCount, label: "
          + "e.getAttribute('aria-label') || e.getAttribute('alt')};", f);
      String what = m.get("tag") + " '" + m.get("label") + "'";
      double w = ((Number) m.get("w")).doubleValue();
      double h = ((Number) m.get("h")).doubleValue();
      if (Math.abs(w - ((Number) m.get("dw")).doubleValue()) > 0.5
          || Math.abs(h - ((Number) m.get("dh")).doubleValue()) > 0.5) {
        problems.add(what + " is drawn " + w + "x" + h + ", not " + m.get("dw") + "x"
            + m.get("dh"));
      }
      if ("img".equals(m.get("tag")) && (!Boolean.TRUE.equals(m.get("complete"))
          || ((Number) m.get("natural")).intValue() <= 0)) {
        problems.add(what + " did not decode");
      }
      if ("svg".equals(m.get("tag")) && ((Number) m.get("parts")).intValue() == 0) {
        problems.add(what + " is an empty drawing");
      }
      // What the screen shows of it is not one flat colour (every SVG, the first pictures).
      if ("svg".equals(m.get("tag")) || screenshots < 12) {
        screenshots++;
        if (colours(f.getScreenshotAs(OutputType.BYTES)) < 2) {
          problems.add(what + " shows one colour only: nothing drawn");
        }
      }
    }
    assertThat(problems).as("figures of " + url).isEmpty();
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, fullPage());
    return new Result(figures.size(), best, screenshot);
  }

  /** A short pause between two looks at a loading page (polled with a deadline). */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a page loaded", e);
    }
  }

  /** The whole page as PNG (Chrome DevTools' Page.captureScreenshot beyond the viewport). */
  private byte[] fullPage() {
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand(
        "Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "width",
        ((Number) size.get("width")).doubleValue(), "height",
        Math.min(16_000, ((Number) size.get("height")).doubleValue()), "scale", 1);
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** How many distinct colours a PNG shows (counting stops at 2). */
  static int colours(byte[] png) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      if (img == null || img.getWidth() == 0 || img.getHeight() == 0) {
        return 0;
      }
      int first = img.getRGB(0, 0);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          if (img.getRGB(x, y) != first) {
            return 2;
          }
        }
      }
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
