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

    /** Keycloak answers 404 when there is no resource: the pack's routes exist only in realms it was applied to ({@link PackRealms}). */
    @Override
    public Object getResource() {
        return PackRealms.isApplied(session) ? this : null;
    }

    @Override
    public void close() {
    }
}
