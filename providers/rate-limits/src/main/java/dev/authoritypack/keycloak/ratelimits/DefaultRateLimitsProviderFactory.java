package dev.authoritypack.keycloak.ratelimits;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.connections.infinispan.InfinispanConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the server's limits, defines the counter cache in Keycloak's Infinispan cache manager at start (every node
 * of a cluster defines it the same way) and hands the session factory to {@link RateLimitFilter}, which runs in
 * Vert.x before any session exists.
 */
public class DefaultRateLimitsProviderFactory implements RateLimitsProviderFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "default";
    private static final Logger LOG = Logger.getLogger(DefaultRateLimitsProviderFactory.class);

    private static volatile KeycloakSessionFactory sessionFactory;

    private RateLimitSettings settings;
    private volatile RateLimitCounters counters;

    @Override
    public void init(Config.Scope config) {
        settings = RateLimitSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // not here: Keycloak calls the factories' postInit in an order that changes from start to start, and the
        // cache manager may not be up yet (its JDBC_PING needs the database: a start failed with "emf is null").
        // Keycloak's PostMigrationEvent comes once every factory is ready and the database is migrated.
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, this::counters);
                sessionFactory = factory;
            }
        });
    }

    /** The running server's session factory, once the provider is ready; {@code null} before. */
    static KeycloakSessionFactory sessionFactory() {
        return sessionFactory;
    }

    @Override
    public RateLimitsProvider create(KeycloakSession session) {
        return new DefaultRateLimitsProvider(session, settings, () -> counters(session));
    }

    private RateLimitCounters counters(KeycloakSession session) {
        RateLimitCounters c = counters;
        if (c == null) {
            InfinispanConnectionProvider infinispan = session.getProvider(InfinispanConnectionProvider.class);
            if (infinispan == null) {
                LOG.warn("No Infinispan in this server: rate limits are off");
                return null;
            }
            c = RateLimitCounters.open(infinispan.getCache(InfinispanConnectionProvider.WORK_CACHE_NAME).getCacheManager());
            counters = c;
        }
        return c;
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        for (RateLimitBucket bucket : RateLimitBucket.values()) {
            info.put(bucket.settingName(), settings.serverLimit(bucket) + " per " + bucket.key().name().toLowerCase());
        }
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (RateLimitBucket bucket : RateLimitBucket.values()) {
            builder.property().name(bucket.settingName()).type("string")
                    .helpText("Requests per key and window, N/SECONDS or off; the realm attribute " + bucket.realmAttribute() + " overrides it.")
                    .defaultValue(bucket.defaultLimit().toString()).add();
        }
        return builder.build();
    }
}
