package dev.authoritypack.keycloak.ratelimits;

import java.util.Locale;

/**
 * The limits of the documented API (docs/rate-limits.md: "the limits differ per endpoint"). Each bucket counts the requests of
 * one key, per realm, in fixed windows; its default holds unless the server option or the realm attribute of the
 * same name says otherwise ({@link RateLimitSettings}). docs/rate-limits.md lists the same table.
 */
public enum RateLimitBucket {

    /** {@code /token}, {@code /oauth/token}, {@code /device/token} and Keycloak's token endpoint. */
    TOKEN(Key.CLIENT, new RateLimit(600, 60)),
    /** {@code /oauth/introspect}: resource servers call it per request they serve. */
    INTROSPECT(Key.CLIENT, new RateLimit(1200, 60)),
    REVOKE(Key.CLIENT, new RateLimit(600, 60)),
    /** {@code /device/code}: each answer creates a pending device grant. */
    DEVICE_CODE(Key.CLIENT, new RateLimit(60, 60)),
    /** User-code guesses at {@code /activate} (RFC 8628 §5.1 asks to limit them). */
    ACTIVATE(Key.ADDRESS, new RateLimit(30, 60)),
    /** {@code POST /signin} and {@code POST /mfa/verify}: credential checks. */
    SIGNIN(Key.ADDRESS, new RateLimit(60, 60)),
    /** Sign-in attempts per identifier, whether or not an account has it (SigninResource). */
    SIGNIN_ACCOUNT(Key.ACCOUNT, new RateLimit(20, 300)),
    /** {@code POST /forgot-password} and {@code POST /account/*}. */
    ACCOUNT(Key.ADDRESS, new RateLimit(30, 60)),
    API_LOGIN(Key.ADDRESS, new RateLimit(600, 60)),
    /** {@code POST /register}: anonymous dynamic client registration. */
    REGISTER(Key.ADDRESS, new RateLimit(20, 60)),
    /** Every other answer of a documented route (pages, discovery, JWKS, userinfo, ...). */
    OTHER(Key.ADDRESS, new RateLimit(1200, 60));

    /** What a bucket counts by. */
    public enum Key {
        /** The client id of HTTP Basic client authentication; the client address when the request has none. */
        CLIENT,
        /** The client address as Keycloak sees it (forwarded headers only with {@code --proxy-headers}). */
        ADDRESS,
        /** The account identifier the request names (an email address). */
        ACCOUNT
    }

    private final Key key;
    private final RateLimit defaultLimit;

    RateLimitBucket(Key key, RateLimit defaultLimit) {
        this.key = key;
        this.defaultLimit = defaultLimit;
    }

    public Key key() {
        return key;
    }

    public RateLimit defaultLimit() {
        return defaultLimit;
    }

    /** Name in settings: {@code token}, {@code signin-account}, ... */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Realm attribute that overrides the server's limit, e.g. {@code authority.rate-limit.token}. */
    public String realmAttribute() {
        return "authority.rate-limit." + settingName();
    }
}
