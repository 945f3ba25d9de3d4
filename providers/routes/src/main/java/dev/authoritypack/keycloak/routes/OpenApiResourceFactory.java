package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/openapi}, documented as {@code /openapi.json}. */
public class OpenApiResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "openapi";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new OpenApiResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
