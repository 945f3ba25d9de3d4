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

    /**
     * Takes one of {@code slots} slots of {@code key} for {@code seconds}; each slot frees itself when its time is up.
     * The sliding limit of actions that must not repeat within a period whatever the window, such as mails ("at most
     * one mail to this address every 5 minutes"), where {@link #consume}'s fixed windows would let two through at a
     * window's edge. Kept in Keycloak's single-use store (shared by a cluster, atomic {@code putIfAbsent}); keys are
     * stored hashed. {@code slots} or {@code seconds} of 0 or less means no limit.
     *
     * @return whether a slot was free (and is now taken)
     */
    boolean takeSlot(String name, String key, int slots, int seconds);

    @Override
    default void close() {
    }
}
