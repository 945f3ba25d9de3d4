package dev.authoritypack.keycloak.realmsetup;

import dev.authoritypack.keycloak.common.PackRealms;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.Arrays;
import java.util.List;

/**
 * {@code /admin/realms/{realm}/authority-pack}: see {@link PackRealmAdminResource}; and the apply at start
 * ({@link PackRealmsAtStart}, {@code --spi-documented-routes--default--apply-at-start}) once Keycloak is up.
 */
public class PackRealmAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    public static final String ID = "authority-pack";

    private PackRealmsAtStart atStart;

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new PackRealmAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        // the setting sits with the other realm settings of the pack (PackRealms), under documented-routes
        Config.Scope routes = Config.scope(PackRealms.SPI, PackRealms.PROVIDER);
        String[] realms = routes == null ? null : routes.getArray(PackRealms.APPLY_AT_START);
        atStart = new PackRealmsAtStart(realms == null ? List.of()
                : Arrays.stream(realms).map(String::trim).filter(r -> !r.isEmpty()).distinct().toList());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (!atStart.isEmpty()) {
            factory.register(event -> {
                if (event instanceof PostMigrationEvent) {
                    atStart.run(factory);
                }
            });
        }
    }

    @Override
    public void close() {
    }
}
