package dev.authoritypack.keycloak.oauth;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

import java.util.List;

/** Client-registration policy {@code redirect-uri-rules}: https, or http on a loopback host only; no fragment. */
public class RedirectUriRulesPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String PROVIDER_ID = "redirect-uri-rules";

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return new RedirectUriRulesPolicy();
    }

    @Override
    public String getHelpText() {
        return "Registered redirect_uris must use https (http only for localhost, 127.0.0.1 or [::1]) and carry no fragment.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
