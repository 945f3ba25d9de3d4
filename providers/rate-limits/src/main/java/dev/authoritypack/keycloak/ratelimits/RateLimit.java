package dev.authoritypack.keycloak.ratelimits;

/**
 * At most {@code limit} requests per key in each window of {@code windowSeconds}; a limit of 0 switches the bucket off.
 * Written {@code 600/60} in settings (requests per seconds), or {@code 0}/{@code off}.
 */
public record RateLimit(long limit, long windowSeconds) {

    public static final RateLimit OFF = new RateLimit(0, 1);

    public RateLimit {
        if (limit < 0 || windowSeconds < 1) {
            throw new IllegalArgumentException("a limit is N/SECONDS with N >= 0 and SECONDS >= 1");
        }
    }

    public boolean off() {
        return limit == 0;
    }

    /** Reads {@code N/SECONDS}, {@code 0} or {@code off}; anything else is an {@link IllegalArgumentException}. */
    public static RateLimit parse(String value) {
        String v = value.trim();
        if (v.equals("0") || v.equalsIgnoreCase("off")) {
            return OFF;
        }
        int slash = v.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + value + "' is not N/SECONDS");
        }
        try {
            return new RateLimit(Long.parseLong(v.substring(0, slash).trim()), Long.parseLong(v.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not N/SECONDS");
        }
    }

    @Override
    public String toString() {
        return off() ? "off" : limit + "/" + windowSeconds;
    }
}
