package dev.authoritypack.keycloak.routes;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Realm resource {@code /realms/{realm}/health-check}, documented as {@code /health_check}. */
public class HealthCheckResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "health-check";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new HealthCheckResource(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
