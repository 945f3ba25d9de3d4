package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/signin}, documented as {@code /signin}. */
public class SigninResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "signin";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new SigninResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
