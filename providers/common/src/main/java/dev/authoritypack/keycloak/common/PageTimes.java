package dev.authoritypack.keycloak.common;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A page's {@code times}: {@code times.of(iso, lang)} gives the template the {@link ReadableTime} of an ISO-8601
 * instant in the page's language ({@code lang}, the one {@link PackPage#render} chose): {@code text} (relative for
 * recent moments, else date and time in UTC), {@code title} (the date and time when {@code text} is relative, else
 * empty) and {@code absolute} (whether {@code text} is the date and time). Messages come from the realm's login theme,
 * as the page's; the clock is Keycloak's ({@link Time}, which its tests may shift).
 */
public final class PageTimes {

    private final KeycloakSession session;
    private final Instant now = Instant.ofEpochMilli(Time.currentTimeMillis());
    private final Map<String, ReadableTime> byLanguage = new HashMap<>();

    public PageTimes(KeycloakSession session) {
        this.session = session;
    }

    public Map<String, Object> of(String iso, String lang) {
        Map<String, Object> out = new HashMap<>();
        Instant moment;
        try {
            moment = iso == null ? null : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            moment = null;
        }
        if (moment == null) {
            out.put("text", iso == null ? "" : iso);
            out.put("title", "");
            out.put("absolute", false);
            return out;
        }
        ReadableTime readable = byLanguage.computeIfAbsent(lang == null ? "en" : lang, this::readable);
        boolean relative = readable.relative(moment, now);
        out.put("text", readable.of(moment, now));
        out.put("title", relative ? readable.absolute(moment) : "");
        out.put("absolute", !relative);
        return out;
    }

    private ReadableTime readable(String lang) {
        Locale locale = Locale.forLanguageTag(lang);
        Properties messages;
        try {
            messages = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(session.getContext().getRealm(), locale);
        } catch (IOException e) {
            messages = new Properties(); // English texts
        }
        return new ReadableTime(locale, ZoneOffset.UTC, messages::getProperty);
    }
}
