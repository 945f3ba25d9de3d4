package dev.authoritypack.keycloak.common;

import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.function.Function;

/**
 * A moment as people read it on a page, in the page's language (docs/pages.md, *Times*): within the last minute
 * "just now", within the last hour "12 minutes ago", within the last day "3 hours ago" (the texts are the theme's
 * messages {@value #JUST_NOW}, {@value #MINUTES_AGO}, {@value #HOURS_AGO}, choice patterns of {@link MessageFormat});
 * older — or ahead of the server's clock by more than a minute — the date and time, the locale's medium date and short
 * time ({@link FormatStyle}, from the JDK's CLDR data), followed by the time zone's short name ("UTC").
 *
 * <p>The browser's time zone is unknown to the server: pages render in one zone (UTC) and say so; a script may
 * re-render in the browser's zone, the machine value stays in {@code <time datetime>}. Pure: the clock is a parameter.
 */
public final class ReadableTime {

    public static final String JUST_NOW = PackPage.key("authority.time.justNow");
    public static final String MINUTES_AGO = PackPage.key("authority.time.minutesAgo");
    public static final String HOURS_AGO = PackPage.key("authority.time.hoursAgo");

    /** Moments younger than this read relative ("3 hours ago"); older ones as date and time. */
    public static final Duration RELATIVE_WITHIN = Duration.ofDays(1);

    private final Locale locale;
    private final ZoneId zone;
    private final Function<String, String> messages;

    /**
     * @param messages the theme's message patterns in {@code locale} by key (null for a missing key: the English
     *                 text is used)
     */
    public ReadableTime(Locale locale, ZoneId zone, Function<String, String> messages) {
        this.locale = locale;
        this.zone = zone;
        this.messages = messages;
    }

    /** "Dec 6, 2026, 6:36 PM UTC", "06.12.2026, 18:36 UTC". */
    public String absolute(Instant moment) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).withZone(zone)
                .format(moment) + " " + zoneName();
    }

    /** "UTC" for UTC (a {@link ZoneOffset} would print as "Z"), else the zone's short name in the locale. */
    private String zoneName() {
        return zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : zone.getDisplayName(TextStyle.SHORT, locale);
    }

    /** Whether {@link #of} reads relative at {@code now}. */
    public boolean relative(Instant moment, Instant now) {
        Duration age = Duration.between(moment, now);
        return age.compareTo(Duration.ofMinutes(-1)) >= 0 && age.compareTo(RELATIVE_WITHIN) < 0;
    }

    /** "just now", "12 minutes ago", "3 hours ago" within the last day, else {@link #absolute}. */
    public String of(Instant moment, Instant now) {
        if (!relative(moment, now)) {
            return absolute(moment);
        }
        Duration age = Duration.between(moment, now);
        if (age.toMinutes() < 1) {
            return message(JUST_NOW, "just now");
        }
        if (age.toHours() < 1) {
            return format(message(MINUTES_AGO, "{0,choice,1#1 minute ago|1<{0,number,integer} minutes ago}"), age.toMinutes());
        }
        return format(message(HOURS_AGO, "{0,choice,1#1 hour ago|1<{0,number,integer} hours ago}"), age.toHours());
    }

    private String message(String key, String english) {
        String pattern = messages.apply(key);
        return pattern == null ? english : pattern;
    }

    private String format(String pattern, long amount) {
        return new MessageFormat(pattern, locale).format(new Object[]{amount});
    }
}
