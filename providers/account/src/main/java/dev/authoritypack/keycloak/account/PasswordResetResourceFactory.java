package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/password-reset}; the documented paths that map onto it are in DocumentedRoute. */
public class PasswordResetResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "password-reset";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new PasswordResetResource(session);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        MailSwitch.reportAtStart(factory);
    }

    @Override
    public String getId() {
        return ID;
    }
}
