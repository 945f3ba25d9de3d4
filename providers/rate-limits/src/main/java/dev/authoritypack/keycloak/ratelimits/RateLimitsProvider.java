package dev.authoritypack.keycloak.ratelimits;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/** Counts requests against the realm's limits; shared by every node of a cluster. */
public interface RateLimitsProvider extends Provider {

    /**
     * Counts one request of {@code key} in the realm's {@code bucket}.
     *
     * @return the decision (refused when over the limit), or {@code null} when the bucket is off or the counters
     *         cannot be reached (the request then passes: a limiter must not take the server down with it)
     */
    RateLimitDecision consume(RealmModel realm, RateLimitBucket bucket, String key);

    /** Gives back a counted request that turned out not to belong to its key (a client that failed to authenticate). */
    void refund(RateLimitDecision decision);

    @Override
    default void close() {
    }
}
