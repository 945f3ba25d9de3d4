package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealms;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The realm's Content-Security-Policy (its <em>Security defenses</em> setting, docs/pages.md) forbids inline scripts
 * and styles, which the pack's pages and its login theme do without. Keycloak's own account console
 * ({@code /realms/{realm}/account}, the keycloak.v3 account theme) cannot: its page carries an import map and
 * inline module scripts. So its answers keep the realm's policy without {@code script-src} and {@code style-src}
 * (the other directives, framing and objects, stay); every other page gets the realm's policy unchanged. Vert.x
 * routes in a provider jar are not a documented SPI: PagesInABrowserIT fails if this stops running.
 */
@ApplicationScoped
public class AccountConsolePolicy {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        RealmPath realmPath = RealmPath.of(rc.normalizedPath());
        if (realmPath != null && !PackRealms.passedBy(rc) && (realmPath.rest().equals("/account") || realmPath.rest().startsWith("/account/"))
                && !realmPath.rest().startsWith("/account/password/") && !realmPath.rest().startsWith("/account/email/")) {
            rc.addHeadersEndHandler(v -> {
                String policy = rc.response().headers().get("Content-Security-Policy");
                if (policy != null) {
                    String relaxed = withoutScriptAndStyleRules(policy);
                    if (relaxed.isEmpty()) {
                        rc.response().headers().remove("Content-Security-Policy");
                    } else {
                        rc.response().headers().set("Content-Security-Policy", relaxed);
                    }
                }
            });
        }
        rc.next();
    }

    /** The policy without its {@code script-src} and {@code style-src} directives (and their -elem/-attr forms). */
    static String withoutScriptAndStyleRules(String policy) {
        return Arrays.stream(policy.split(";"))
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .filter(d -> {
                    String name = d.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                    return !name.startsWith("script-src") && !name.startsWith("style-src");
                })
                .collect(Collectors.joining("; "))
                .transform(rules -> rules.isEmpty() ? "" : rules + ";");
    }
}
