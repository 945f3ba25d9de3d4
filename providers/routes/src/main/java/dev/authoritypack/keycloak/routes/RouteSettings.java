package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealms;
import org.keycloak.Config;

/**
 * Server-wide settings of the documented routes, read from Keycloak's SPI configuration
 * ({@code --spi-documented-routes--default--<option>} or {@code KC_SPI_DOCUMENTED_ROUTES__DEFAULT__<OPTION>}).
 *
 * <p>The rewrite filter runs before a KeycloakSession exists, so it cannot ask the session for the provider;
 * it reads the same {@link Config.Scope} the factory is given.
 */
public record RouteSettings(String defaultRealm, boolean rootRoutes) {

    public static final String SPI = "documented-routes";
    public static final String PROVIDER = "default";
    public static final String DEFAULT_REALM = PackRealms.DEFAULT_REALM;
    public static final String ROOT_ROUTES = "root-routes";
    public static final String DEFAULT_REALM_DEFAULT = PackRealms.DEFAULT_REALM_DEFAULT;

    private static volatile RouteSettings current;

    static RouteSettings from(Config.Scope scope) {
        String realm = scope == null ? null : scope.get(DEFAULT_REALM);
        Boolean root = scope == null ? null : scope.getBoolean(ROOT_ROUTES);
        return new RouteSettings(realm == null || realm.isBlank() ? DEFAULT_REALM_DEFAULT : realm.trim(),
                root == null || root);
    }

    /** Settings of the running server; read once, Keycloak's configuration does not change at runtime. */
    public static RouteSettings current() {
        RouteSettings s = current;
        if (s == null) {
            s = from(Config.scope(SPI, PROVIDER));
            current = s;
        }
        return s;
    }

    /** Realm served at the host root, or {@code null} when host-root routes are switched off. */
    public String hostRootRealm() {
        return rootRoutes ? defaultRealm : null;
    }
}
