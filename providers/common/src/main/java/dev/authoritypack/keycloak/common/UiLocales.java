package dev.authoritypack.keycloak.common;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The OpenID Connect {@code ui_locales} parameter (Core 1.0 §3.1.2.1: language tags separated by spaces, in order of
 * preference) against the realm's supported locales: the first tag that one of them serves wins. A tag is served by
 * a supported locale of its language whose region is the same, or where one of the two has no region ({@code de-CH}
 * by {@code de}, {@code de} by {@code de-DE}, but {@code de-CH} not by {@code de-AT}); among several, the one with the
 * same region, then the same variant, then the first listed. This is the rule Keycloak's
 * {@code DefaultLocaleSelectorProvider} applies to {@code ui_locales} on {@code /authorize}.
 */
public final class UiLocales {

    public static final String PARAM = "ui_locales";
    /** More tags than any person prefers; the rest of a longer value is not read. */
    static final int MAX_TAGS = 20;

    private UiLocales() {
    }

    /** The supported locale (as listed by the realm) that serves the first servable tag of {@code uiLocales}. */
    public static Optional<String> firstSupported(String uiLocales, List<String> supported) {
        if (uiLocales == null || uiLocales.isBlank() || supported.isEmpty()) {
            return Optional.empty();
        }
        String[] tags = uiLocales.trim().split("\\s+", MAX_TAGS + 1);
        for (int i = 0; i < Math.min(tags.length, MAX_TAGS); i++) {
            Optional<String> served = servedBy(Locale.forLanguageTag(tags[i]), supported);
            if (served.isPresent()) {
                return served;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> servedBy(Locale wanted, List<String> supported) {
        if (wanted.getLanguage().isEmpty()) {
            return Optional.empty(); // not a language tag ("*", "_", garbage)
        }
        String best = null;
        int bestScore = -1;
        for (String tag : supported) {
            Locale candidate = Locale.forLanguageTag(tag);
            boolean sameRegion = candidate.getCountry().equals(wanted.getCountry());
            boolean oneWithoutRegion = candidate.getCountry().isEmpty() != wanted.getCountry().isEmpty();
            if (!candidate.getLanguage().equals(wanted.getLanguage()) || !(sameRegion || oneWithoutRegion)) {
                continue;
            }
            int score = (sameRegion ? 2 : 0) + (candidate.getVariant().equals(wanted.getVariant()) ? 1 : 0);
            if (score > bestScore) {
                best = tag;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
