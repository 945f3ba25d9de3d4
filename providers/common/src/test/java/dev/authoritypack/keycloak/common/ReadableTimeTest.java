package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The times of the pages in English and German, with the theme's own message bundles. */
class ReadableTimeTest {

    private static final Path MESSAGES = Path.of("../../themes/src/main/resources/theme/authority/login/messages");
    private static final Instant NOW = Instant.parse("2026-12-06T18:36:00Z");

    private static ReadableTime in(String lang) {
        Properties messages = new Properties();
        try (InputStream in = Files.newInputStream(MESSAGES.resolve("messages_" + lang + ".properties"))) {
            messages.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReadableTime(Locale.forLanguageTag(lang), ZoneOffset.UTC, messages::getProperty);
    }

    private static Instant ago(Duration age) {
        return NOW.minus(age);
    }

    /** The JDK's CLDR data puts a narrow no-break space before AM/PM (JDK 20+) or a plain one: either reads the same. */
    private static String spaces(String text) {
        return text.replace('\u202f', ' ').replace('\u00a0', ' ');
    }

    @Test
    void recentMomentsReadRelativeInEnglish() {
        ReadableTime en = in("en");
        assertEquals("just now", en.of(ago(Duration.ofSeconds(20)), NOW));
        assertEquals("just now", en.of(NOW.plusSeconds(30), NOW), "a little ahead of the server's clock");
        assertEquals("1 minute ago", en.of(ago(Duration.ofSeconds(90)), NOW));
        assertEquals("2 minutes ago", en.of(ago(Duration.ofMinutes(2)), NOW));
        assertEquals("59 minutes ago", en.of(ago(Duration.ofMinutes(59).plusSeconds(59)), NOW));
        assertEquals("1 hour ago", en.of(ago(Duration.ofMinutes(60)), NOW));
        assertEquals("23 hours ago", en.of(ago(Duration.ofHours(23).plusMinutes(59)), NOW));
    }

    @Test
    void recentMomentsReadRelativeInGerman() {
        ReadableTime de = in("de");
        assertEquals("gerade eben", de.of(ago(Duration.ofSeconds(5)), NOW));
        assertEquals("vor 1 Minute", de.of(ago(Duration.ofMinutes(1)), NOW));
        assertEquals("vor 2 Minuten", de.of(ago(Duration.ofMinutes(2)), NOW));
        assertEquals("vor 1 Stunde", de.of(ago(Duration.ofHours(1)), NOW));
        assertEquals("vor 5 Stunden", de.of(ago(Duration.ofHours(5)), NOW));
    }

    @Test
    void olderMomentsReadAsDateAndTimeInUtc() {
        Instant dayAgo = ago(Duration.ofDays(1));
        assertFalse(in("en").relative(dayAgo, NOW));
        assertEquals("Dec 5, 2026, 6:36 PM UTC", spaces(in("en").of(dayAgo, NOW)));
        assertEquals("05.12.2026, 18:36 UTC", in("de").of(dayAgo, NOW));
        Instant older = Instant.parse("2026-03-01T07:05:59Z");
        assertEquals("Mar 1, 2026, 7:05 AM UTC", spaces(in("en").of(older, NOW)));
        assertEquals("01.03.2026, 07:05 UTC", in("de").of(older, NOW));
    }

    @Test
    void momentsAheadOfTheClockReadAsDateAndTime() {
        Instant ahead = NOW.plus(Duration.ofMinutes(5));
        assertFalse(in("en").relative(ahead, NOW));
        assertEquals("06.12.2026, 18:41 UTC", in("de").of(ahead, NOW));
        assertTrue(in("en").relative(NOW, NOW));
    }

    @Test
    void aMissingMessageFallsBackToEnglish() {
        ReadableTime bare = new ReadableTime(Locale.ENGLISH, ZoneOffset.UTC, key -> null);
        assertEquals("3 minutes ago", bare.of(ago(Duration.ofMinutes(3)), NOW));
        assertEquals("1 hour ago", bare.of(ago(Duration.ofMinutes(61)), NOW));
    }
}
