package dev.authoritypack.keycloak.ratelimits;

import org.keycloak.provider.ProviderFactory;

public interface RateLimitsProviderFactory extends ProviderFactory<RateLimitsProvider> {
}
