package dev.authoritypack.keycloak.ratelimits;

/**
 * One counted request: the bucket's limit, what remains of it in the current window and when the window ends
 * (epoch seconds, as Auth0's {@code X-RateLimit-Reset}).
 */
public record RateLimitDecision(RateLimitBucket bucket, String counterKey, long limit, long count, long resetEpochSeconds) {

    public boolean allowed() {
        return count <= limit;
    }

    public long remaining() {
        return Math.max(0, limit - count);
    }

    /** Seconds until the window ends, at least 1: the {@code Retry-After} of a refusal. */
    public long retryAfterSeconds(long nowEpochSeconds) {
        return Math.max(1, resetEpochSeconds - nowEpochSeconds);
    }

    /** The decision whose headers a client should see when two limits apply: the one closer to refusing. */
    public static RateLimitDecision tighter(RateLimitDecision a, RateLimitDecision b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.allowed() != b.allowed()) {
            return a.allowed() ? b : a;
        }
        return b.remaining() < a.remaining() ? b : a;
    }
}
