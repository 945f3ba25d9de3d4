package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealms;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads the route settings once and shows them, with the route table, in the admin server info. */
public class DefaultDocumentedRoutesProviderFactory implements DocumentedRoutesProviderFactory, ServerInfoAwareProviderFactory {

    private RouteSettings settings;
    private static volatile KeycloakSessionFactory sessionFactory;

    /** The running server's session factory once Keycloak is up (PostMigrationEvent), for the Vert.x handlers; else null. */
    static KeycloakSessionFactory sessionFactory() {
        return sessionFactory;
    }

    @Override
    public void init(Config.Scope config) {
        settings = RouteSettings.from(config);
    }

    @Override
    public DocumentedRoutesProvider create(KeycloakSession session) {
        RouteSettings s = settings;
        return () -> s;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof org.keycloak.models.utils.PostMigrationEvent) {
                sessionFactory = factory;
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return RouteSettings.PROVIDER;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put(RouteSettings.DEFAULT_REALM, settings.defaultRealm());
        info.put(RouteSettings.ROOT_ROUTES, String.valueOf(settings.rootRoutes()));
        info.put(PackRealms.ALL_REALMS, String.valueOf(PackRealms.allRealms()));
        info.put("routes", DocumentedRoute.all().stream().map(DocumentedRoute::path).collect(Collectors.joining(" ")));
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(RouteSettings.DEFAULT_REALM).type("string")
                .helpText("Realm whose documented routes are also served at the host root.")
                .defaultValue(RouteSettings.DEFAULT_REALM_DEFAULT).add()
                .property().name(RouteSettings.ROOT_ROUTES).type("boolean")
                .helpText("Serve the default realm's documented routes at the host root (/authorize, /health_check, ...).")
                .defaultValue(true).add()
                .property().name(PackRealms.ALL_REALMS).type("boolean")
                .helpText("Act on every realm of the server. Off: only on realms with the attribute " + PackRealms.ATTRIBUTE
                        + "=true (./run.sh apply-pack sets it) and on the default realm; every other realm answers as stock Keycloak.")
                .defaultValue(false).add()
                .property().name(PackRealms.APPLY_AT_START).type("string")
                .helpText("Realms (comma-separated) given this pack version's parts at every start, as ./run.sh apply-pack REALM does: "
                        + "the upgrade of a realm an earlier pack version imported (realm-setup). Empty: none.")
                .defaultValue("").add()
                .build();
    }
}
