package dev.authoritypack.keycloak.ratelimits;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Fixed windows per realm, bucket and key, counted in {@link RateLimitCounters}. */
class DefaultRateLimitsProvider implements RateLimitsProvider {

    private static final Logger LOG = Logger.getLogger(DefaultRateLimitsProvider.class);
    /** Last time a failure of the counters was logged: once a minute is enough to see an outage. */
    private static final AtomicLong LAST_FAILURE_LOG = new AtomicLong();

    private final RateLimitSettings settings;
    private final Supplier<RateLimitCounters> counters;

    DefaultRateLimitsProvider(RateLimitSettings settings, Supplier<RateLimitCounters> counters) {
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

    private static void logFailure(RuntimeException e) {
        long now = System.currentTimeMillis();
        long last = LAST_FAILURE_LOG.get();
        if (now - last > 60_000 && LAST_FAILURE_LOG.compareAndSet(last, now)) {
            LOG.warnf("Rate-limit counters unavailable, requests pass uncounted: %s", e.toString());
        }
    }
}
