package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/email-verification}; the documented paths that map onto it are in DocumentedRoute. */
public class EmailVerificationResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "email-verification";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new EmailVerificationResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
