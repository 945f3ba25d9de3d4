package dev.authoritypack.keycloak.routes;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@code documented-routes} SPI. */
public interface DocumentedRoutesProviderFactory extends ProviderFactory<DocumentedRoutesProvider> {
}
