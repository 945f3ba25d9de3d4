package dev.authoritypack.keycloak.signin;

import org.keycloak.models.RealmModel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
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

    static Optional<String> allowed(RealmModel realm, String encoded) {
        return decode(encoded).filter(url -> isSameOriginPath(url) || onAllowList(realm, url));
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
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return false;
        }
        String list = realm.getAttribute(ALLOW_LIST_ATTRIBUTE);
        if (list == null || list.isBlank()) {
            return false;
        }
        for (String prefix : list.trim().split("\\s+")) {
            if (!prefix.isEmpty() && url.startsWith(prefix) && boundary(url, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code https://app.example.com} must not allow {@code https://app.example.com.evil.example}. */
    private static boolean boundary(String url, String prefix) {
        if (url.length() == prefix.length() || prefix.endsWith("/")) {
            return true;
        }
        char next = url.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }
}
