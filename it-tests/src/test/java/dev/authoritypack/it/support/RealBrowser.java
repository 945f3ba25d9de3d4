package dev.authoritypack.it.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's chromium driven by Playwright for Java (KEYCLOAK-NOTES §17): never a downloaded browser. Without a
 * chromium the browser tests are skipped with a message — unless {@code AUTHORITY_IT_BROWSER_REQUIRED=1} (set by
 * {@code .ci/run}, which installs it), where its absence fails them.
 */
public final class RealBrowser implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private final Playwright playwright;
    private final Browser browser;

    private RealBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static RealBrowser launch() {
        Path chromium = CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (chromium == null) {
            String message = "no chromium at " + CANDIDATES + " (apt-get install chromium)";
            if ("1".equals(System.getenv("AUTHORITY_IT_BROWSER_REQUIRED"))) {
                fail(message);
            }
            assumeTrue(false, message + ": browser tests skipped");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(List.of("--no-sandbox")));
        return new RealBrowser(playwright, browser);
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
