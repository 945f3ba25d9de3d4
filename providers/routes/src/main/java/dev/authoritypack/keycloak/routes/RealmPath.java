package dev.authoritypack.keycloak.routes;

/**
 * A request path under a realm's issuer, {@code /realms/{realm}{rest}}: the one reading of that shape for the route
 * table, the guards, CORS and the rate limits. {@code rest} starts with {@code /}.
 */
public record RealmPath(String realm, String rest) {

    private static final String PREFIX = "/realms/";

    /** The realm and the rest of a path under {@code /realms/{realm}/}, or {@code null} for any other path. */
    public static RealmPath of(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        int slash = path.indexOf('/', PREFIX.length());
        return slash < 0 ? null : new RealmPath(path.substring(PREFIX.length(), slash), path.substring(slash));
    }
}
