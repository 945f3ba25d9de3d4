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
 * What the browser tests check on every page they meet: the keyboard walk (tab order, visible focus), axe-core's
 * WCAG 2.1 A/AA rules (serious and critical violations collected, with the page's name) and a full-page screenshot
 * under {@code it-tests/target/screenshots/}. Needs a page that may run scripts.
 */
public final class PageAudit {

    private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final Path SCREENSHOTS = KeycloakServer.projectRoot().resolve("it-tests/target/screenshots");

    private final List<String> problems = new ArrayList<>();
    private final String variant;
    private int pages;

    public PageAudit() {
        this("");
    }

    /** Pages seen in a variant (a browser language): named so in the findings and the screenshots' names. */
    public PageAudit(String variant) {
        this.variant = variant.isEmpty() ? "" : " " + variant;
    }

    public void audit(Page page, String pageName) {
        String name = pageName + variant;
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".png")));
        keyboard(page, name);
        axe(page, name);
    }

    /** axe-core's WCAG 2.1 A/AA rules on the page as it is: its serious and critical violations are collected. */
    public void axe(Page page, String name) {
        pages++;
        AxeResults results = new AxeBuilder(page).withTags(WCAG).analyze();
        for (Rule rule : results.getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                problems.add(name + ": " + rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + ") on "
                        + rule.getNodes().stream().map(n -> n.getHtml()).limit(3).toList());
            }
        }
    }

    /**
     * The keyboard walk of a page: Tab from the top reaches the controls in reading order (top to bottom, left to
     * right on a row) and each shows a visible focus indicator (an outline or a shadow).
     */
    public void keyboard(Page page, String name) {
        page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }");
        double lastTop = -1;
        String last = "the top";
        for (int i = 0; i < 40; i++) {
            page.keyboard().press("Tab");
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> focused = (java.util.Map<String, Object>) page.evaluate("""
                    () => { const e = document.activeElement;
                            if (!e || e === document.body) return null;
                            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                            return { what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[' + e.name + ']' : ''),
                                     top: r.top + window.scrollY,
                                     indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' }; }""");
            if (focused == null) {
                break; // past the last control
            }
            double top = ((Number) focused.get("top")).doubleValue();
            String what = (String) focused.get("what");
            if (what.equals(last)) {
                break;
            }
            if (top + 2 < lastTop) {
                problems.add(name + ": Tab goes up, from " + last + " to " + what);
            }
            if (!Boolean.TRUE.equals(focused.get("indicator"))) {
                problems.add(name + ": no visible focus on " + what);
            }
            lastTop = top;
            last = what;
        }
    }

    /** The violations found so far (empty when none); prints a summary line. */
    public List<String> problems(String what) {
        System.err.println("[a11y] " + (problems.isEmpty() ? "no serious or critical violations on " + pages + " " + what
                : String.join("\n", problems)));
        return problems;
    }
}
