package dev.authoritypack.it.support;

import com.microsoft.playwright.BrowserContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The realm's Content-Security-Policy in a real browser (docs/pages.md): every page of the server the browser opens
 * carries a policy whose {@code script-src} and {@code style-src} are {@code 'self'} without {@code 'unsafe-inline'},
 * the browser reports no violation of it on any page (Chromium logs each as a console error naming the Content
 * Security Policy; a {@code securitypolicyviolation} listener reports the rest), and every script and stylesheet
 * the pages load from the server is there. A JUnit 5 extension; watch each browser context of the test:
 * <pre>
 * &#64;RegisterExtension
 * final ContentSecurityPolicyCheck csp = new ContentSecurityPolicyCheck();
 * ...
 * try (BrowserContext context = csp.watch(chromium.newContext())) { ... }
 * </pre>
 * The test fails after it ran when something was found, or when it watched a context but met no page of the server.
 */
public final class ContentSecurityPolicyCheck implements AfterEachCallback {

    private static final String REPORTER = """
            document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: '
                + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """;

    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger contexts = new AtomicInteger();

    /** Checks the pages of the server (a port {@link ApiTraffic#server} knows) this context opens. */
    public BrowserContext watch(BrowserContext context) {
        contexts.incrementAndGet();
        context.addInitScript(REPORTER);
        context.onResponse(response -> {
            URI uri = URI.create(response.url());
            if (!ApiTraffic.isServer(uri)) {
                return;
            }
            String type = response.request().resourceType();
            int status = response.status();
            if ("document".equals(type) && (status < 300 || status >= 400)
                    && String.valueOf(response.headerValue("content-type")).startsWith("text/html")) {
                pages.incrementAndGet();
                String policy = response.headerValue("content-security-policy");
                // Keycloak's account console needs inline scripts: the pack serves it the realm's policy without
                // script-src/style-src (routes' AccountConsolePolicy); violations still count there
                String why = accountConsole(uri.getRawPath()) ? null : policyProblem(policy);
                if (why != null) {
                    problems.add(uri.getRawPath() + ": " + why + ": " + policy);
                }
            } else if (("script".equals(type) || "stylesheet".equals(type)) && status >= 400) {
                problems.add(uri.getRawPath() + ": the page's " + type + " answered " + status);
            }
        });
        context.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                problems.add((message.page() == null ? "?" : message.page().url()) + ": " + message.text());
            }
        });
        return context;
    }

    /** Keycloak's account console, not the pack's /account/password and /account/email pages. */
    static boolean accountConsole(String path) {
        return path.matches("/realms/[^/]+/account(/.*)?") && !path.matches("/realms/[^/]+/account/(password|email)/.*");
    }

    /** Why a page's policy is not the strict one, or null. */
    static String policyProblem(String policy) {
        if (policy == null || policy.isBlank()) {
            return "no Content-Security-Policy";
        }
        String lower = policy.toLowerCase(Locale.ROOT);
        if (lower.contains("'unsafe-inline'") || lower.contains("'unsafe-eval'")) {
            return "the policy allows inline code";
        }
        if (!lower.contains("script-src 'self'") || !lower.contains("style-src 'self'")) {
            return "the policy lacks script-src 'self' or style-src 'self'";
        }
        return null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found = new ArrayList<>();
        for (String p; (p = problems.poll()) != null; ) {
            if (!found.contains(p)) {
                found.add(p);
            }
        }
        int watched = contexts.getAndSet(0);
        int seen = pages.getAndSet(0);
        System.err.println("[csp] " + seen + " page(s) of the server checked, " + found.size() + " problem(s)");
        if (!found.isEmpty()) {
            throw new AssertionError("the realm's Content-Security-Policy:\n  " + String.join("\n  ", found));
        }
        if (watched > 0 && seen == 0) {
            throw new AssertionError("the test watched a browser but met no page of the server");
        }
    }
}
