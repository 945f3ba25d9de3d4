package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/profile}, documented as {@code /profile}. */
public class ProfileResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "profile";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ProfileResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
