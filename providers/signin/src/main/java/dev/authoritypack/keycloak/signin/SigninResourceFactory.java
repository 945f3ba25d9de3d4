package dev.authoritypack.keycloak.signin;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Realm resource {@code /realms/{realm}/signin}, documented as {@code /signin}. */
public class SigninResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "signin";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new SigninResource(session);
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
