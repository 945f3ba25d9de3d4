package dev.authoritypack.keycloak.legacylogin;

import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.keys.loader.PublicKeyStorageManager;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Validates an Auth0 access token against the realm's identity provider for the Auth0 tenant.
 *
 * <p>Keys come from Keycloak's identity-provider key loading ({@link PublicKeyStorageManager}: cached JWKS,
 * refetched for an unknown {@code kid}, throttled). Keycloak's own IdP token validation is not enough for this
 * job ({@code TokenVerifier} alone: it passes any signature when signature validation is off, does not require {@code exp},
 * checks the issuer only when one is set), so this class requires all of it: an asymmetric algorithm matching the
 * key, a valid signature, the configured issuer, the configured audience, {@code exp}, and {@code nbf}/{@code iat}
 * not in the future, with a small clock skew.
 */
final class Auth0TokenVerifier {

    private static final Logger LOG = Logger.getLogger(Auth0TokenVerifier.class);
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");

    /** The provider is missing or configured without what the pack requires. */
    static final class NotConfigured extends Exception {
        NotConfigured(String message) {
            super(message);
        }
    }

    /** The token is not acceptable; the reason goes to the event, never to the caller. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason);
        }
    }

    private Auth0TokenVerifier() {
    }

    static OIDCIdentityProviderConfig provider(KeycloakSession session, RealmModel realm, LegacyLoginSettings settings) throws NotConfigured {
        IdentityProviderModel model = session.identityProviders().getByAlias(settings.identityProvider());
        if (model == null || !model.isEnabled()) {
            throw new NotConfigured("identity provider '" + settings.identityProvider() + "' is missing or disabled");
        }
        OIDCIdentityProviderConfig config = new OIDCIdentityProviderConfig(model);
        if (!config.isValidateSignature() || !config.isUseJwksUrl() || blank(config.getJwksUrl()) || blank(config.getIssuer())) {
            throw new NotConfigured("identity provider '" + settings.identityProvider()
                    + "' must validate signatures with a JWKS URL and name its issuer");
        }
        if (blank(settings.audience())) {
            throw new NotConfigured("realm attribute " + LegacyLoginSettings.PREFIX + "audience (the Auth0 API identifier) is not set");
        }
        return config;
    }

    static JsonWebToken verify(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig idp,
                               LegacyLoginSettings settings, String token) throws Rejected {
        JWSInput jws;
        JsonWebToken claims;
        try {
            jws = new JWSInput(token);
            claims = jws.readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw new Rejected("malformed token");
        }
        String alg = jws.getHeader().getRawAlgorithm();
        if (alg == null || !ASYMMETRIC.contains(alg)) {
            throw new Rejected("algorithm not allowed: " + alg);
        }
        KeyWrapper key;
        try {
            key = PublicKeyStorageManager.getIdentityProviderKeyWrapper(session, realm, idp, jws);
        } catch (RuntimeException e) {
            LOG.warnf("legacy login: cannot load the keys of identity provider %s (%s)", idp.getAlias(), e.getClass().getSimpleName());
            throw new Rejected("issuer keys unavailable");
        }
        if (key == null || key.getPublicKey() == null || (key.getAlgorithm() != null && !alg.equals(key.getAlgorithm()))) {
            throw new Rejected("no matching key");
        }
        SignatureProvider signatures = session.getProvider(SignatureProvider.class, alg);
        try {
            if (signatures == null || !signatures.verifier(key).verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.UTF_8), jws.getSignature())) {
                throw new Rejected("bad signature");
            }
        } catch (Rejected r) {
            throw r;
        } catch (Exception e) {
            throw new Rejected("bad signature");
        }
        long now = Time.currentTime();
        int skew = settings.clockSkewSeconds();
        if (!idp.getIssuer().equals(claims.getIssuer())) {
            throw new Rejected("wrong issuer");
        }
        if (!claims.hasAudience(settings.audience())) {
            throw new Rejected("wrong audience");
        }
        if (claims.getExp() == null || claims.getExp() + skew < now) {
            throw new Rejected("expired or no exp");
        }
        if (claims.getNbf() != null && claims.getNbf() - skew > now) {
            throw new Rejected("not yet valid");
        }
        if (claims.getIat() != null && claims.getIat() - skew > now) {
            throw new Rejected("issued in the future");
        }
        return claims;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
