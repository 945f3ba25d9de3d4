package dev.authoritypack.keycloak.ratelimits;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.EmbeddedCacheManager;

import java.util.concurrent.TimeUnit;

/**
 * The counters: one {@code Long} per key and window in a cache of the pack, defined next to Keycloak's own caches in
 * Keycloak's Infinispan cache manager (Keycloak has no rate limiter of its own). In a cluster the
 * cache is distributed ({@code DIST_SYNC}, two owners), so every node counts into the same entry and a node's loss
 * keeps the counts; on a single node it is local. Increments are compare-and-set ({@code putIfAbsent} /
 * {@code replace(key, old, new)}), which Infinispan executes atomically on the key's primary owner: concurrent
 * requests on any node are counted exactly. Each entry lives until its window ends, so nothing is cleaned up by hand.
 */
final class RateLimitCounters {

    static final String CACHE_NAME = "authority-rate-limits";
    /** Bounds memory per node when many addresses are counted at once; a count lost to eviction only lets more through. */
    static final long MAX_ENTRIES = 200_000;
    private static final int MAX_ATTEMPTS = 100;

    private final Cache<String, Long> cache;

    private RateLimitCounters(Cache<String, Long> cache) {
        this.cache = cache;
    }

    /** Defines the cache in Keycloak's cache manager (once per node, before first use) and opens it. */
    static RateLimitCounters open(EmbeddedCacheManager cacheManager) {
        synchronized (RateLimitCounters.class) {
            if (cacheManager.getCacheConfiguration(CACHE_NAME) == null) {
                ConfigurationBuilder config = new ConfigurationBuilder();
                if (cacheManager.getCacheManagerConfiguration().isClustered()) {
                    config.clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(2);
                } else {
                    config.clustering().cacheMode(CacheMode.LOCAL);
                }
                config.memory().maxCount(MAX_ENTRIES);
                cacheManager.defineConfiguration(CACHE_NAME, config.build());
            }
        }
        return new RateLimitCounters(cacheManager.getCache(CACHE_NAME));
    }

    /** Adds one to the counter and returns the new count; the entry expires after {@code ttlSeconds}. */
    long increment(String key, long ttlSeconds) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Long previous = cache.putIfAbsent(key, 1L, ttlSeconds, TimeUnit.SECONDS);
            if (previous == null) {
                return 1;
            }
            if (cache.replace(key, previous, previous + 1, ttlSeconds, TimeUnit.SECONDS)) {
                return previous + 1;
            }
        }
        throw new IllegalStateException("counter " + CACHE_NAME + " stayed contended for " + MAX_ATTEMPTS + " attempts");
    }

    /** Takes one back (a request that turned out not to belong to the key); never below zero, never recreates an entry. */
    void decrement(String key, long ttlSeconds) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Long current = cache.get(key);
            if (current == null || current <= 0) {
                return;
            }
            if (cache.replace(key, current, current - 1, ttlSeconds, TimeUnit.SECONDS)) {
                return;
            }
        }
    }
}
