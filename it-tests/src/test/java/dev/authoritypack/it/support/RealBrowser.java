package dev.authoritypack.it.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's chromium driven by Playwright for Java: never a downloaded browser ({@code docs/testing.md}). A JUnit 5
 * extension, one browser per test class:
 * <pre>
 * &#64;RegisterExtension
 * static final RealBrowser chromium = new RealBrowser();
 * </pre>
 * launched before the class's {@code @BeforeAll} methods (after the server of {@link PackIntegrationTest}), closed
 * after its {@code @AfterAll} methods. Without a chromium the class is skipped with a message — unless
 * {@code AUTHORITY_IT_BROWSER_REQUIRED=1} (set by {@code .ci/run}, which installs it), where its absence fails it.
 */
public final class RealBrowser implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private Playwright playwright;
    private Browser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        Path chromium = CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (chromium == null) {
            String message = "no chromium at " + CANDIDATES + " (apt-get install chromium)";
            if ("1".equals(System.getenv("AUTHORITY_IT_BROWSER_REQUIRED"))) {
                fail(message);
            }
            assumeTrue(false, message + ": browser tests skipped");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(List.of("--no-sandbox")));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }

    public Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("the browser is launched before the class's tests: register RealBrowser as a static @RegisterExtension");
        }
        return browser;
    }

    /** A new browser profile (no cookies, no storage) whose API traffic {@link ApiTraffic} checks; close it after use. */
    public BrowserContext newContext() {
        return ApiTraffic.watch(browser().newContext());
    }

    /** {@link #newContext()} with options (locale, JavaScript off, ...). */
    public BrowserContext newContext(Browser.NewContextOptions options) {
        return ApiTraffic.watch(browser().newContext(options));
    }
}
