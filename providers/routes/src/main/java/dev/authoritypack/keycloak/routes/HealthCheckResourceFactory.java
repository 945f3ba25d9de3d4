package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/health-check}, documented as {@code /health_check}. */
public class HealthCheckResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "health-check";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new HealthCheckResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
