package dev.authoritypack.keycloak.routes;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Realm resource {@code /realms/{realm}/documented-oauth/…}: the OAuth routes whose bodies need translating. */
public class DocumentedOAuthResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "documented-oauth";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new DocumentedOAuthResource(session);
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
