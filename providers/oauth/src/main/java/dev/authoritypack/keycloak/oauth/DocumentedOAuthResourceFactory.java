package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.PackRealmResourceProviderFactory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Realm resource {@code /realms/{realm}/documented-oauth/…}: the OAuth routes whose bodies need translating. */
public class DocumentedOAuthResourceFactory extends PackRealmResourceProviderFactory {

    public static final String ID = "documented-oauth";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new DocumentedOAuthResource(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
