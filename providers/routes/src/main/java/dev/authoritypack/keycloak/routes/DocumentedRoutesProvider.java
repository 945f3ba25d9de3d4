package dev.authoritypack.keycloak.routes;

import org.keycloak.provider.Provider;

/** Gives session-bound code the effective route settings and table. */
public interface DocumentedRoutesProvider extends Provider {

    RouteSettings settings();

    @Override
    default void close() {
    }
}
