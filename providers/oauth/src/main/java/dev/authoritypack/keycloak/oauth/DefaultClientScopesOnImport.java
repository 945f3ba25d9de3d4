package dev.authoritypack.keycloak.oauth;

import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.DefaultClientScopes;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * The realm attribute {@code CreateDefaultClientScopes} on Keycloak lines that do not know it. The realm file
 * (realm-config/authority-realm.json) defines only its own client scope and asks Keycloak, with that attribute, to
 * create its built-in ones ({@code profile}, {@code email}, {@code roles}, {@code basic}, ...) at import: Keycloak
 * 26.5+ does so and drops the attribute (RealmManager#isCreateDefaultClientScopes). Keycloak 26.4 keeps it as a plain
 * attribute and creates none, so {@code scope=openid email} is refused and tokens lack the claims. When a realm is
 * created with the attribute still set, this creates them as Keycloak's own import would (Keycloak's
 * {@link DefaultClientScopes}, for the realm and its clients) and removes the attribute. docs/upgrading.md, "Keycloak lines".
 */
final class DefaultClientScopesOnImport implements ProviderEventListener {

    static final String ATTRIBUTE = "CreateDefaultClientScopes";
    private static final Logger LOG = Logger.getLogger(DefaultClientScopesOnImport.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (!(event instanceof RealmModel.RealmPostCreateEvent created)) {
            return;
        }
        RealmModel realm = created.getCreatedRealm();
        if (!Boolean.parseBoolean(realm.getAttribute(ATTRIBUTE))) {
            return; // Keycloak handled it (26.5+), or the realm did not ask
        }
        realm.removeAttribute(ATTRIBUTE);
        if (realm.getClientScopesStream().anyMatch(s -> "profile".equals(s.getName()))) {
            return;
        }
        DefaultClientScopes.createDefaultClientScopes(created.getKeycloakSession(), realm, true);
        LOG.infof("realm %s: Keycloak's built-in client scopes created (%s=true, a Keycloak that does not create them itself)",
                realm.getName(), ATTRIBUTE);
    }
}
