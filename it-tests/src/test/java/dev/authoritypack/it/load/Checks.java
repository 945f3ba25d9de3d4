package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invariants the load checks as it goes, and what they found: a broken one is a line in {@link #violations()},
 * with what was seen; the counts say how often each was exercised (an invariant never exercised proves nothing).
 */
public final class Checks {

    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> exercised = new ConcurrentHashMap<>();
    /** Access tokens with their first introspection: they must introspect the same while they are not expired. */
    final ConcurrentLinkedQueue<IssuedToken> tokens = new ConcurrentLinkedQueue<>();

    record IssuedToken(String kind, String token, long issuedAt, String active, String sub, String clientId, long exp) {
        static IssuedToken of(String kind, String token, JsonNode introspection) {
            return new IssuedToken(kind, token, System.currentTimeMillis(), introspection.path("active").asText(),
                    introspection.path("sub").asText(), introspection.path("client_id").asText(), introspection.path("exp").asLong());
        }

        boolean sameAs(IssuedToken later) {
            return active.equals(later.active) && sub.equals(later.sub) && clientId.equals(later.clientId) && exp == later.exp;
        }
    }

    void violated(String invariant, String what) {
        violations.add(invariant + ": " + what);
        System.err.println("[load] VIOLATION " + invariant + ": " + what);
    }

    void exercised(String invariant) {
        exercised.computeIfAbsent(invariant, k -> new AtomicInteger()).incrementAndGet();
    }

    public List<String> violations() {
        return new ArrayList<>(violations);
    }

    public Map<String, Integer> exercised() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        exercised.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /**
     * One account's lockout as its answers announce it: Keycloak's {@code Retry-After} is {@code notBefore -
     * now} in whole seconds, so an answer of {@code R} between {@code start} and {@code end} says the lockout ends in
     * {@code [start + R - 1 s, end + R]}. Every 423 must agree with the first within 1 s, and no sign-in may pass
     * more than 1 s before the earliest end announced.
     */
    static final class Lockout {
        private double lo = Double.NEGATIVE_INFINITY;
        private double hi = Double.POSITIVE_INFINITY;
        private boolean locked;
        /** The lockout's answers so far, as "time node Retry-After", for the violation's text. */
        private final List<String> answers = new ArrayList<>();

        boolean locked() {
            return locked;
        }

        /** A 423 with its Retry-After; a violation text when it disagrees by more than 1 s with the earlier ones. */
        String locked(long start, long end, long retryAfter, String node) {
            double from = start / 1000.0 + retryAfter - 1;
            double to = end / 1000.0 + retryAfter;
            String problem = null;
            if (locked && (from > hi + 1 || to < lo - 1)) {
                problem = "Retry-After " + retryAfter + " from " + node + " names an end in [" + from + ", " + to + "], earlier answers [" + lo
                        + ", " + hi + "]: " + answers;
            }
            if (!locked || problem != null) {
                lo = from;
                hi = to;
                answers.clear();
            } else {
                lo = Math.max(lo, from);
                hi = Math.min(hi, to);
            }
            answers.add(start / 1000.0 + " " + node + " " + retryAfter);
            locked = true;
            return problem;
        }

        /** A sign-in that passed; a violation text when the lockout was announced to last more than 1 s longer. */
        String passed(long start, String node) {
            String problem = locked && start / 1000.0 < lo - 1
                    ? "a sign-in passed at " + start / 1000.0 + " on " + node + ", the lockout was announced to end no earlier than " + lo
                    + " (423s: time, node, Retry-After: " + answers + ")" : null;
            locked = false;
            lo = Double.NEGATIVE_INFINITY;
            hi = Double.POSITIVE_INFINITY;
            answers.clear();
            return problem;
        }
    }
}
