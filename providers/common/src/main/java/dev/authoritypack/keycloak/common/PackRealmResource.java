package dev.authoritypack.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * Base of the pack's realm resources ({@code /realms/{realm}/<id>}, Keycloak's {@link RealmResourceProvider}): one
 * per request, bound to its session, itself the JAX-RS resource, nothing to close. A subclass holds only its routes.
 */
public abstract class PackRealmResource implements RealmResourceProvider {

    protected final KeycloakSession session;

    protected PackRealmResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @Override
    public void close() {
    }
}
