package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.UrlAllowList;
import org.keycloak.models.RealmModel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Seed 001's {@code forward_url}: Base64 of where to go after sign-in. Followed only when it decodes to a
 * same-origin path, or to an absolute http(s) URL that starts with an entry of the realm's allow-list
 * (realm attribute {@value #ALLOW_LIST_ATTRIBUTE}, space-separated URL prefixes, empty by default).
 */
final class ForwardUrl {

    static final String ALLOW_LIST_ATTRIBUTE = "authority.signin.forward-url-allow-list";

    private ForwardUrl() {
    }

    /**
     * The decoded target when it is a URI (the 302's Location is built from it: a target such as {@code /a b}
     * failed the sign-in with a 500 after the session was made) and this server's path or allow-listed; in its
     * ASCII form, as a Location header carries it.
     */
    static Optional<String> allowed(RealmModel realm, String encoded) {
        return decode(encoded).flatMap(ForwardUrl::asUri).filter(url -> isSameOriginPath(url) || onAllowList(realm, url));
    }

    private static Optional<String> asUri(String url) {
        try {
            return Optional.of(new java.net.URI(url).toASCIIString());
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    static Optional<String> decode(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return Optional.empty();
        }
        String value = encoded.trim();
        for (Base64.Decoder decoder : new Base64.Decoder[]{Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                String decoded = new String(decoder.decode(value), StandardCharsets.UTF_8).trim();
                if (!decoded.isEmpty() && decoded.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                    return Optional.of(decoded);
                }
            } catch (IllegalArgumentException notThisAlphabet) {
                // try the next alphabet
            }
        }
        return Optional.empty();
    }

    static boolean isSameOriginPath(String url) {
        return url.startsWith("/") && !url.startsWith("//") && !url.contains("\\");
    }

    static boolean onAllowList(RealmModel realm, String url) {
        String list = realm.getAttribute(ALLOW_LIST_ATTRIBUTE);
        return list != null && !list.isBlank() && UrlAllowList.allows(java.util.List.of(list.trim().split("\\s+")), url);
    }
}
