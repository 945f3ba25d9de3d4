package dev.authoritypack.it.support;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Page;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the browser tests check on every page they meet: axe-core's WCAG 2.1 A/AA rules (serious and critical
 * violations collected, with the page's name) and a full-page screenshot under {@code it-tests/target/screenshots/}.
 */
public final class PageAudit {

    private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final Path SCREENSHOTS = KeycloakServer.projectRoot().resolve("it-tests/target/screenshots");

    private final List<String> problems = new ArrayList<>();
    private int pages;

    public void audit(Page page, String name) {
        pages++;
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".png")));
        AxeResults results = new AxeBuilder(page).withTags(WCAG).analyze();
        for (Rule rule : results.getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                problems.add(name + ": " + rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + ") on "
                        + rule.getNodes().stream().map(n -> n.getHtml()).limit(3).toList());
            }
        }
    }

    /** The violations found so far (empty when none); prints a summary line. */
    public List<String> problems(String what) {
        System.err.println("[a11y] " + (problems.isEmpty() ? "no serious or critical violations on " + pages + " " + what
                : String.join("\n", problems)));
        return problems;
    }
}
