package dev.authoritypack.keycloak.legacylogin;

import dev.authoritypack.keycloak.common.KeycloakLines;
import org.jboss.logging.Logger;
import org.keycloak.TokenVerifier;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.common.VerificationException;
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
 * not in the future, with a small clock skew. The issuer and audience checks are Keycloak's own
 * ({@link TokenVerifier.RealmUrlCheck}, {@link TokenVerifier.AudienceCheck}), the signature is checked by Keycloak's
 * {@link SignatureProvider}; the time checks are the pack's ({@link #checkClaims} says why). Every refusal is a
 * {@link Rejected} with a short reason for the event; the caller always gets the same 401.
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
        JWSInput jws = parse(token);
        JsonWebToken claims = claims(jws);
        String alg = asymmetricAlgorithm(jws);
        verifySignature(session, realm, idp, jws, alg);
        checkClaims(claims, idp.getIssuer(), settings.audience(), settings.clockSkewSeconds());
        return claims;
    }

    /** The token's three parts; anything that is not a JWS is "malformed". */
    static JWSInput parse(String token) throws Rejected {
        try {
            return new JWSInput(token);
        } catch (JWSInputException | RuntimeException e) {
            throw new Rejected("malformed token");
        }
    }

    /** The token's claims; a payload that is not a JSON claim set is "malformed". */
    static JsonWebToken claims(JWSInput jws) throws Rejected {
        try {
            return jws.readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw new Rejected("malformed token");
        }
    }

    /** The header's algorithm when it is an asymmetric one ({@code none} and the HMACs never are). */
    static String asymmetricAlgorithm(JWSInput jws) throws Rejected {
        // Keycloak's getRawAlgorithm() is getAlgorithm().name(): a header without "alg" has no algorithm at all
        String alg = jws.getHeader().getAlgorithm() == null ? null : jws.getHeader().getRawAlgorithm();
        if (alg == null || !ASYMMETRIC.contains(alg)) {
            throw new Rejected("algorithm not allowed: " + alg);
        }
        return alg;
    }

    /** The signature, by the provider's key for the token's {@code kid} and Keycloak's signature provider for {@code alg}. */
    private static void verifySignature(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig idp, JWSInput jws,
                                        String alg) throws Rejected {
        KeyWrapper key;
        try {
            key = KeycloakLines.identityProviderKey(session, realm, idp, jws); // its parameter type differs by line
        } catch (RuntimeException e) {
            LOG.warnf("legacy login: cannot load the keys of identity provider %s (%s)", idp.getAlias(), e.getClass().getSimpleName());
            throw new Rejected("issuer keys unavailable");
        }
        if (key == null || key.getPublicKey() == null || (key.getAlgorithm() != null && !alg.equals(key.getAlgorithm()))) {
            throw new Rejected("no matching key");
        }
        SignatureProvider signatures = session.getProvider(SignatureProvider.class, alg);
        boolean valid;
        try {
            valid = signatures != null && signatures.verifier(key).verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.UTF_8), jws.getSignature());
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw new Rejected("bad signature");
        }
    }

    /**
     * The claims, in this order, each refused with its own reason: the issuer (Keycloak's
     * {@link TokenVerifier.RealmUrlCheck}: exact match), the audience (Keycloak's {@link TokenVerifier.AudienceCheck}:
     * one of {@code aud}), {@code exp} (required, and not more than the clock skew ago), {@code nbf} (Keycloak's
     * {@link JsonWebToken#isNotBefore(long)} with the clock skew) and {@code iat} (not more than the clock skew ahead).
     *
     * <p>Keycloak's {@link TokenVerifier#IS_ACTIVE} is not used for the times: it lets a token without {@code exp} (or
     * with {@code exp: 0}) through, gives {@code exp} no skew, and its {@code nbf} skew changed between releases
     * (0 s on 26.4, 10 s on 26.7) instead of following the realm's {@code clock-skew-seconds}. Keycloak has no
     * check of {@code iat}.
     */
    static void checkClaims(JsonWebToken claims, String issuer, String audience, int skew) throws Rejected {
        long now = Time.currentTime();
        check(claims, new TokenVerifier.RealmUrlCheck(issuer), "wrong issuer");
        check(claims, new TokenVerifier.AudienceCheck(audience), "wrong audience");
        check(claims, t -> t.getExp() != null && t.getExp() + skew >= now, "expired or no exp");
        check(claims, t -> t.isNotBefore(skew), "not yet valid");
        check(claims, t -> t.getIat() == null || t.getIat() - skew <= now, "issued in the future");
    }

    /** One of Keycloak's token predicates, its failure (false or {@link VerificationException}) told as {@code reason}. */
    private static void check(JsonWebToken claims, TokenVerifier.Predicate<? super JsonWebToken> predicate, String reason) throws Rejected {
        boolean passed;
        try {
            passed = predicate.test(claims);
        } catch (VerificationException e) {
            passed = false;
        }
        if (!passed) {
            throw new Rejected(reason);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
