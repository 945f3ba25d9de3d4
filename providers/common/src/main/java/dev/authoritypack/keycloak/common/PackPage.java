package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.keycloak.cookie.CookieProvider;
import org.keycloak.cookie.CookieType;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.locale.LocaleUpdaterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.util.LocaleUtil;
import org.keycloak.sessions.AuthenticationSessionModel;
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
import java.util.Optional;
import java.util.Properties;

/**
 * The pack's pages (docs/pages.md: sign-in, MFA, profile, password reset, email verification): templates of the realm's
 * login theme, rendered with Keycloak's {@link FreeMarkerProvider}; when that theme lacks the page (a realm on
 * Keycloak's own theme), the page of the pack's {@code authority} theme.
 *
 * <p>Language ({@link #locale}): a {@code kc_locale} parameter, then an OpenID Connect {@code ui_locales} parameter
 * ({@link UiLocales}), then Keycloak's own choice for the request (its locale cookie, {@code Accept-Language}, the
 * realm default) — the order of Keycloak's {@code /authorize} — among the realm's supported locales. Both parameters
 * are remembered in Keycloak's locale cookie, so the language chosen on one page carries through the sign-in to the
 * next pages, the pack's and Keycloak's. Texts come from the theme's message bundles
 * ({@code messages_<lang>.properties}), as on Keycloak's pages: Java code names a text by its key, with
 * {@link #key} or {@link #message} (MessageBundlesTest checks every such key is in every language).
 */
public final class PackPage {

    public static final String PACK_THEME = "authority";
    /** Session attribute: the {@code ui_locales} choice of this request, already written to the locale cookie. */
    private static final String UI_LOCALE_REMEMBERED = "dev.authoritypack.uiLocaleRemembered";

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
                    attributes.put(name, new MessageFormat(messages.getProperty(key), locale).format(new Object[0]));
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

    /**
     * Marks a message key of the login theme that Java code hands to a page (as its {@code error} or {@code message}
     * attribute, which {@link #render} translates, or to a helper that calls {@link #message}); returns the key.
     * MessageBundlesTest finds every key written as {@code PackPage.key("…")} or {@code PackPage.message(session, "…")}
     * and fails when a language lacks it.
     */
    public static String key(String key) {
        return key;
    }

    /**
     * A message of the realm's login theme (or, when that theme lacks the key, of the pack's theme) in the request's
     * language, with arguments ({@code {0}}, …; pass numbers as strings to keep them free of digit grouping).
     */
    public static String message(KeycloakSession session, String key, Object... args) {
        try {
            Locale locale = locale(session);
            RealmModel realm = session.getContext().getRealm();
            String pattern = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(realm, locale).getProperty(key);
            if (pattern == null) {
                pattern = session.theme().getTheme(PACK_THEME, Theme.Type.LOGIN).getEnhancedMessages(realm, locale).getProperty(key, key);
            }
            return new MessageFormat(pattern, locale).format(args);
        } catch (IOException e) {
            return key;
        }
    }

    /**
     * The request's language. {@code kc_locale} (the language switch) comes first, then {@code ui_locales} (an
     * application's wish, OpenID Connect), as on Keycloak's {@code /authorize}; both are remembered in Keycloak's
     * locale cookie ({@code KEYCLOAK_LOCALE}) — Keycloak itself keeps {@code ui_locales} in the authentication
     * session only, but the pack's pages have none to keep it in, and the next page (the sign-in's POST, the MFA
     * step, the profile) must speak the same language. Without either, Keycloak's choice: a language chosen in this
     * authentication session, the locale cookie, {@code Accept-Language}, the realm default.
     */
    private static Locale locale(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        if (realm.isInternationalizationEnabled()) {
            MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
            if (query.getFirst(LocaleSelectorProvider.KC_LOCALE_PARAM) != null) {
                if (session.getAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE) == null) {
                    LocaleUtil.processLocaleParam(session, realm, null);
                }
            } else if (!chosenInThisAuthenticationSession(session)) {
                Optional<String> asked = UiLocales.firstSupported(query.getFirst(UiLocales.PARAM), realm.getSupportedLocalesStream().toList());
                if (asked.isPresent()) {
                    if (session.getAttribute(UI_LOCALE_REMEMBERED) == null) { // one Set-Cookie per answer
                        session.getProvider(LocaleUpdaterProvider.class).updateLocaleCookie(asked.get());
                        session.setAttribute(UI_LOCALE_REMEMBERED, asked.get());
                    }
                    return Locale.forLanguageTag(asked.get());
                }
            }
        }
        return session.getContext().resolveLocale(null);
    }

    /** The language the pack's pages speak to this browser (Keycloak's locale cookie), or null: see {@link #keepLanguage}. */
    public static String languageCookie(KeycloakSession session) {
        return session.getProvider(CookieProvider.class).get(CookieType.LOCALE);
    }

    /**
     * After a sign-in step of the realm's flow: writes the locale cookie the request came with again. When the sign-in
     * of a user without a saved locale completes, Keycloak's update-locale step expires that cookie (it keeps only a
     * language chosen inside the authentication session, by saving it to the user); the pack's pages chose theirs
     * before ({@code kc_locale}, {@code ui_locales}), and the profile or the forward target must speak it too. The
     * cookie written after the expiry wins in the browser. A user's saved locale is left to Keycloak.
     */
    public static void keepLanguage(KeycloakSession session, UserModel user, String languageCookie) {
        if (user != null && languageCookie != null && !languageCookie.isBlank() && user.getFirstAttribute(UserModel.LOCALE) == null
                && session.getContext().getRealm().isInternationalizationEnabled()) {
            session.getProvider(LocaleUpdaterProvider.class).updateLocaleCookie(languageCookie);
        }
    }

    /** A {@code kc_locale} chosen earlier in the authentication session of this request outranks {@code ui_locales}. */
    private static boolean chosenInThisAuthenticationSession(KeycloakSession session) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        return authSession != null && authSession.getAuthNote(LocaleSelectorProvider.USER_REQUEST_LOCALE) != null;
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
