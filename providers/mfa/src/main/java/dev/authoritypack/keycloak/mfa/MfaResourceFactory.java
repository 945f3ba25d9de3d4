package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/mfa/…}, documented as {@code /mfa/setup|enable|verify|disable}. */
public class MfaResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "mfa";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new MfaResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
