package dev.authoritypack.keycloak.ratelimits;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.RealmModel;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where each bucket's limit comes from, first match wins: the realm attribute {@code authority.rate-limit.<bucket>}
 * (an operator's per-realm choice, changed in the admin console or the realm import), then the server option
 * {@code --spi-rate-limits--default--<bucket>} ({@code KC_SPI_RATE_LIMITS__DEFAULT__<BUCKET>}), then the bucket's
 * default. Values are {@code N/SECONDS} or {@code off}. A malformed value never switches a limit off: it is logged
 * (without the request) and the next source applies.
 */
final class RateLimitSettings {

    private static final Logger LOG = Logger.getLogger(RateLimitSettings.class);

    private final Map<RateLimitBucket, RateLimit> serverLimits;

    private RateLimitSettings(Map<RateLimitBucket, RateLimit> serverLimits) {
        this.serverLimits = serverLimits;
    }

    static RateLimitSettings from(Config.Scope scope) {
        Map<RateLimitBucket, RateLimit> limits = new EnumMap<>(RateLimitBucket.class);
        for (RateLimitBucket bucket : RateLimitBucket.values()) {
            String configured = scope == null ? null : scope.get(bucket.settingName());
            limits.put(bucket, parseOr(configured, bucket.defaultLimit(), "server option " + bucket.settingName()));
        }
        return new RateLimitSettings(limits);
    }

    RateLimit serverLimit(RateLimitBucket bucket) {
        return serverLimits.get(bucket);
    }

    RateLimit limit(RealmModel realm, RateLimitBucket bucket) {
        return parseOr(realm.getAttribute(bucket.realmAttribute()), serverLimits.get(bucket),
                "realm attribute " + bucket.realmAttribute() + " of realm " + realm.getName());
    }

    private static RateLimit parseOr(String value, RateLimit fallback, String source) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return RateLimit.parse(value);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring %s: %s; using %s", source, e.getMessage(), fallback);
            return fallback;
        }
    }
}
