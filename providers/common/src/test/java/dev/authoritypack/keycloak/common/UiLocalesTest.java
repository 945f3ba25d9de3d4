package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UiLocalesTest {

    private static final List<String> EN_DE = List.of("en", "de");

    @Test
    void theFirstServedTagWins() {
        assertEquals(Optional.of("de"), UiLocales.firstSupported("de", EN_DE));
        assertEquals(Optional.of("de"), UiLocales.firstSupported("fr de en", EN_DE), "fr is not offered: the next one");
        assertEquals(Optional.of("en"), UiLocales.firstSupported("en de", EN_DE));
        assertEquals(Optional.of("de"), UiLocales.firstSupported("  fr-CA   de-CH  ", EN_DE), "any whitespace between tags");
    }

    @Test
    void aRegionIsServedByItsLanguageAndTheOtherWayRound() {
        assertEquals(Optional.of("de"), UiLocales.firstSupported("de-CH", EN_DE));
        assertEquals(Optional.of("de-DE"), UiLocales.firstSupported("de", List.of("en", "de-DE")));
        assertEquals(Optional.of("en"), UiLocales.firstSupported("EN-us", EN_DE), "tags are case-insensitive");
        assertEquals(Optional.empty(), UiLocales.firstSupported("de-CH", List.of("en", "de-AT")), "another region does not serve");
        assertEquals(Optional.of("de-CH"), UiLocales.firstSupported("de-CH", List.of("de", "de-AT", "de-CH")), "the same region first");
        assertEquals(Optional.of("de"), UiLocales.firstSupported("de", List.of("de-DE", "de")), "the same (no) region first");
        assertEquals(Optional.of("pt-BR"), UiLocales.firstSupported("pt-BR", List.of("pt", "pt-BR")));
    }

    @Test
    void nothingServedIsEmpty() {
        assertEquals(Optional.empty(), UiLocales.firstSupported(null, EN_DE));
        assertEquals(Optional.empty(), UiLocales.firstSupported("", EN_DE));
        assertEquals(Optional.empty(), UiLocales.firstSupported("   ", EN_DE));
        assertEquals(Optional.empty(), UiLocales.firstSupported("fr ja", EN_DE));
        assertEquals(Optional.empty(), UiLocales.firstSupported("* _ !!", EN_DE), "not language tags");
        assertEquals(Optional.empty(), UiLocales.firstSupported("de", List.of()), "no supported locales");
    }

    @Test
    void onlyTheFirstTwentyTagsAreRead() {
        String many = "fr ".repeat(UiLocales.MAX_TAGS) + "de";
        assertEquals(Optional.empty(), UiLocales.firstSupported(many, EN_DE));
        assertEquals(Optional.of("de"), UiLocales.firstSupported("fr ".repeat(UiLocales.MAX_TAGS - 1) + "de", EN_DE));
    }
}
