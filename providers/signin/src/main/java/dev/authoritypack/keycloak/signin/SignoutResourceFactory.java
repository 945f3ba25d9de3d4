package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/signout}, documented as {@code /signout}. */
public class SignoutResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "signout";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new SignoutResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
