package dev.authoritypack.keycloak.ratelimits;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Fixed windows per realm, bucket and key, counted in {@link RateLimitCounters}; sliding slots in Keycloak's
 * single-use store ({@link #takeSlot}).
 */
class DefaultRateLimitsProvider implements RateLimitsProvider {

    private static final Logger LOG = Logger.getLogger(DefaultRateLimitsProvider.class);
    /** Last time a failure of the counters was logged: once a minute is enough to see an outage. */
    private static final AtomicLong LAST_FAILURE_LOG = new AtomicLong();

    private final KeycloakSession session;
    private final RateLimitSettings settings;
    private final Supplier<RateLimitCounters> counters;

    DefaultRateLimitsProvider(KeycloakSession session, RateLimitSettings settings, Supplier<RateLimitCounters> counters) {
        this.session = session;
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public RateLimitDecision consume(RealmModel realm, RateLimitBucket bucket, String key) {
        RateLimit limit = settings.limit(realm, bucket);
        if (limit.off()) {
            return null;
        }
        long now = Time.currentTime();
        long windowStart = now - Math.floorMod(now, limit.windowSeconds());
        long reset = windowStart + limit.windowSeconds();
        String counterKey = realm.getId() + '|' + bucket.settingName() + '|' + limit.windowSeconds() + '|' + windowStart + '|' + key;
        try {
            RateLimitCounters c = counters.get();
            if (c == null) {
                return null;
            }
            long count = c.increment(counterKey, reset - now + 1);
            return new RateLimitDecision(bucket, counterKey, limit.limit(), count, reset);
        } catch (RuntimeException e) {
            logFailure(e);
            return null;
        }
    }

    @Override
    public void refund(RateLimitDecision decision) {
        long ttl = decision.resetEpochSeconds() - Time.currentTime() + 1;
        if (ttl <= 0) {
            return;
        }
        try {
            RateLimitCounters c = counters.get();
            if (c != null) {
                c.decrement(decision.counterKey(), ttl);
            }
        } catch (RuntimeException e) {
            logFailure(e);
        }
    }

    @Override
    public boolean takeSlot(String name, String key, int slots, int seconds) {
        if (slots <= 0 || seconds <= 0) {
            return true;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        String prefix = "authority.slot." + name + "." + hash(key) + ".";
        for (int slot = 0; slot < slots; slot++) {
            if (store.putIfAbsent(prefix + slot, seconds)) {
                return true;
            }
        }
        return false;
    }

    /** Keys of the shared store never carry an address or email itself. */
    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void logFailure(RuntimeException e) {
        long now = System.currentTimeMillis();
        long last = LAST_FAILURE_LOG.get();
        if (now - last > 60_000 && LAST_FAILURE_LOG.compareAndSet(last, now)) {
            LOG.warnf("Rate-limit counters unavailable, requests pass uncounted: %s", e.toString());
        }
    }
}
