package dev.authoritypack.keycloak.signin;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Realm resource {@code /realms/{realm}/signout}, documented as {@code /signout}. */
public class SignoutResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "signout";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new SignoutResource(session);
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
