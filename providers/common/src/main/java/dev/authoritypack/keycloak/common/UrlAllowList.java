package dev.authoritypack.keycloak.common;

import java.net.URI;
import java.util.Locale;

/**
 * The pack's one check for redirect targets taken from requests ({@code forward_url}, {@code redirect_url}): an
 * absolute http(s) URL without user-info that starts with an allow-listed prefix at a boundary, so that
 * {@code https://app.example.com} never allows {@code https://app.example.com.evil.example}.
 */
public final class UrlAllowList {

    private UrlAllowList() {
    }

    public static boolean allows(Iterable<String> prefixes, String url) {
        if (url == null || !absoluteHttp(url)) {
            return false;
        }
        for (String prefix : prefixes) {
            if (!prefix.isEmpty() && url.startsWith(prefix) && boundary(url, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean boundary(String url, String prefix) {
        if (url.length() == prefix.length() || prefix.endsWith("/")) {
            return true;
        }
        return "/?#".indexOf(url.charAt(prefix.length())) >= 0;
    }
}
