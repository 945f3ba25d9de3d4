package dev.authoritypack.keycloak.legacylogin;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/legacy-login}, documented as {@code POST /api/login}. */
public class LegacyLoginResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "legacy-login";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new LegacyLoginResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
