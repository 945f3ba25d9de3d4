package dev.authoritypack.keycloak.common;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Base of the pack's realm resources ({@code /realms/{realm}/<id>}), which need no server configuration or
 * lifecycle: a subclass names its id and creates its per-request resource.
 */
public abstract class PackRealmResourceProviderFactory implements RealmResourceProviderFactory {

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
