package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.util.LocaleUtil;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LocaleBean;
import org.keycloak.theme.beans.MessageFormatterMethod;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

import java.io.IOException;
import java.net.URI;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The pack's pages (docs/pages.md: sign-in, MFA, profile, password reset, email verification): templates of the realm's
 * login theme, rendered with Keycloak's {@link FreeMarkerProvider}; when that theme lacks the page (a realm on
 * Keycloak's own theme), the page of the pack's {@code authority} theme.
 *
 * <p>Language: Keycloak's own choice for the request ({@code kc_locale} — remembered in Keycloak's locale cookie —,
 * then the user's saved locale, {@code Accept-Language}, the realm default), among the realm's supported locales;
 * texts come from the theme's message bundles ({@code messages_<lang>.properties}), as on Keycloak's pages.
 */
public final class PackPage {

    public static final String PACK_THEME = "authority";

    private PackPage() {
    }

    /**
     * Renders a template with the pack's common attributes: {@code realmName}, {@code resourcesPath}, {@code msg},
     * {@code lang}, {@code languages} (the switch) and {@code error}/{@code message}, which may be message keys.
     */
    public static Response render(KeycloakSession session, String template, int status, Map<String, Object> attributes) {
        RealmModel realm = session.getContext().getRealm();
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            if (theme.getTemplate(template) == null) {
                theme = session.theme().getTheme(PACK_THEME, Theme.Type.LOGIN);
            }
            Locale locale = locale(session);
            Properties messages = theme.getEnhancedMessages(realm, locale);
            attributes.put("realmName", realm.getDisplayName() == null ? realm.getName() : realm.getDisplayName());
            attributes.putIfAbsent("error", "");
            for (String name : List.of("error", "message")) {
                if (attributes.get(name) instanceof String key && messages.containsKey(key)) {
                    attributes.put(name, messages.getProperty(key));
                }
            }
            attributes.put("msg", new MessageFormatterMethod(locale, messages));
            attributes.put("lang", locale.toLanguageTag());
            attributes.put("languages", languages(session, realm, locale, messages));
            attributes.put("resourcesPath", session.getContext().getUri().getBaseUri().getPath().replaceAll("/$", "")
                    + "/resources/" + org.keycloak.common.Version.RESOURCES_VERSION + "/login/" + theme.getName());
            String html = session.getProvider(FreeMarkerProvider.class).processTemplate(attributes, template, theme);
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                    .header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE).header("Content-Language", locale.toLanguageTag()).entity(html).build();
        } catch (IOException | FreeMarkerException e) {
            throw new IllegalStateException("cannot render " + template + " of the realm's login theme; is it the authority theme?", e);
        }
    }

    /** A message of the realm's login theme in the request's language, with arguments ({@code {0}}, …). */
    public static String message(KeycloakSession session, String key, Object... args) {
        try {
            Locale locale = locale(session);
            String pattern = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(session.getContext().getRealm(), locale)
                    .getProperty(key, key);
            return new MessageFormat(pattern, locale).format(args);
        } catch (IOException e) {
            return key;
        }
    }

    /** The request's language; a {@code kc_locale} parameter is remembered in Keycloak's locale cookie. */
    private static Locale locale(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        if (session.getAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE) == null) {
            LocaleUtil.processLocaleParam(session, realm, null);
        }
        return session.getContext().resolveLocale(null);
    }

    /**
     * The language switch: one entry per supported locale, linking to this page with {@code kc_locale}; labels and
     * order from Keycloak's own {@link LocaleBean}, so the pack's pages and Keycloak's show the same switch.
     */
    private static List<Map<String, Object>> languages(KeycloakSession session, RealmModel realm, Locale current, Properties messages) {
        List<Map<String, Object>> languages = new ArrayList<>();
        if (!realm.isInternationalizationEnabled()) {
            return languages;
        }
        URI here = session.getContext().getUri().getRequestUri();
        for (LocaleBean.Locale l : new LocaleBean(realm, current, UriBuilder.fromUri(here), messages).getSupported()) {
            URI target = URI.create(l.getUrl());
            Map<String, Object> language = new LinkedHashMap<>();
            language.put("tag", l.getLanguageTag());
            language.put("label", l.getLabel());
            language.put("current", l.getLanguageTag().equals(current.toLanguageTag()));
            language.put("url", target.getRawPath() + "?" + target.getRawQuery());
            languages.add(language);
        }
        return languages;
    }
}
