package dev.authoritypack.keycloak.oauth;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

import java.util.List;

/** Client-policy executor {@code pkce-required}; the realm applies it to public clients. */
public class PkceRequiredExecutorFactory implements ClientPolicyExecutorProviderFactory {

    public static final String PROVIDER_ID = "pkce-required";

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new PkceRequiredExecutor();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // the module's boot hook: realm imports on Keycloak 26.4 (DefaultClientScopesOnImport)
        factory.register(new DefaultClientScopesOnImport());
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Authorization-code requests must carry a PKCE code_challenge, with method S256 or plain (RFC 7636).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
