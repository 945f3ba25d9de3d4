package dev.authoritypack.keycloak.routes;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code documented-routes}: gives the route settings a home in Keycloak's configuration
 * ({@code --spi-documented-routes--default--default-realm=authority}) and in the admin server info.
 */
public class DocumentedRoutesSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return RouteSettings.SPI;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return DocumentedRoutesProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return DocumentedRoutesProviderFactory.class;
    }
}
