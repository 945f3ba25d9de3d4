package dev.authoritypack.it.support;

import java.net.CookieHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A browser-like cookie jar for plain-HTTP tests on localhost. Java's {@code CookieManager} withholds cookies
 * marked {@code Secure} on http://, while browsers treat localhost as a secure context and send them; Keycloak
 * marks its login cookies Secure. Cookies are kept per name and path; Max-Age=0 deletes.
 */
final class CookieJar extends CookieHandler {

    private record Cookie(String name, String value, String path) {
    }

    private final Map<String, Cookie> cookies = new ConcurrentHashMap<>();

    /** Forgets every cookie, as a new browser profile. */
    void clear() {
        cookies.clear();
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        List<String> pairs = new ArrayList<>();
        for (Cookie c : cookies.values()) {
            if (path.startsWith(c.path) || (path + "/").equals(c.path)) {
                pairs.add(c.name + "=" + c.value);
            }
        }
        return pairs.isEmpty() ? Map.of() : Map.of("Cookie", List.of(String.join("; ", pairs)));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        responseHeaders.forEach((name, values) -> {
            if (name == null || !name.equalsIgnoreCase("Set-Cookie")) {
                return;
            }
            for (String header : values) {
                String[] parts = header.split(";");
                int eq = parts[0].indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String cookieName = parts[0].substring(0, eq).trim();
                String value = parts[0].substring(eq + 1).trim();
                String path = "/";
                boolean delete = value.isEmpty();
                for (int i = 1; i < parts.length; i++) {
                    String attr = parts[i].trim();
                    String lower = attr.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("path=")) {
                        path = attr.substring(5);
                    } else if (lower.equals("max-age=0") || lower.startsWith("expires=thu, 01 jan 1970") || lower.startsWith("expires=thu, 01-jan-1970")) {
                        delete = true;
                    }
                }
                String key = cookieName + "|" + path;
                if (delete) {
                    cookies.remove(key);
                } else {
                    cookies.put(key, new Cookie(cookieName, value, path));
                }
            }
        });
    }
}
