package dev.authoritypack.keycloak.ratelimits;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code rate-limits}: the server-wide limits live in Keycloak's configuration
 * ({@code --spi-rate-limits--default--token=600/60}) and show in the admin console's server info.
 */
public class RateLimitsSpi implements Spi {

    public static final String NAME = "rate-limits";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return RateLimitsProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return RateLimitsProviderFactory.class;
    }
}
