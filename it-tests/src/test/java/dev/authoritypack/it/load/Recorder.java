package dev.authoritypack.it.load;

import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.LoadBalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Every request of the load, timed: its operation, the phase it started in, start and end (milliseconds since the
 * epoch, so they compare with the fault instants), its status ({@code -1}: no answer) and the node that answered
 * (HAProxy's {@link LoadBalancer#NODE_HEADER}). Phases are named time spans ({@code before}, {@code kill}, ...),
 * switched by the scenario as the faults happen.
 */
public final class Recorder {

    /** One request. */
    public record Sample(String op, String phase, long start, long end, int status, String node) {
        boolean failed() {
            return status < 0 || status >= 500;
        }

        long millis() {
            return end - start;
        }
    }

    /** A phase: its name and when it began and ended (end 0 while it lasts). */
    public static final class Phase {
        final String name;
        final long start;
        long end;

        Phase(String name, long start) {
            this.name = name;
            this.start = start;
        }
    }

    /** A fault: what was done to which node, from when to when (the interval the process died or stopped in). */
    public record Fault(String kind, String node, long start, long end) {
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Phase> phases = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private volatile Phase current;
    /** The first two bodies of each operation's error statuses: what an unexpected 4xx said. */
    private final java.util.Map<String, List<String>> examples = new java.util.concurrent.ConcurrentHashMap<>();

    public synchronized void phase(String name) {
        long now = System.currentTimeMillis();
        if (current != null) {
            current.end = now;
        }
        current = new Phase(name, now);
        phases.add(current);
    }

    /** The name of the phase now ({@code setup} before the first). */
    public String currentPhase() {
        Phase now = current;
        return now == null ? "setup" : now.name;
    }

    public synchronized void end() {
        if (current != null && current.end == 0) {
            current.end = System.currentTimeMillis();
        }
    }

    public synchronized void fault(String kind, String node, long start, long end) {
        faults.add(new Fault(kind, node, start, end));
    }

    /** Times one request; a request that gets no answer is recorded with status -1 and rethrown. */
    public Http.Response time(String op, Supplier<Http.Response> request) {
        String phase = current == null ? "setup" : current.name;
        long start = System.currentTimeMillis();
        try {
            Http.Response r = request.get();
            samples.add(new Sample(op, phase, start, System.currentTimeMillis(), r.status(), r.header(LoadBalancer.NODE_HEADER)));
            if (r.status() >= 400) {
                List<String> seen = examples.computeIfAbsent(op + " " + r.status(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
                if (seen.size() < 2) {
                    String body = r.body() == null ? "" : r.body();
                    seen.add((body.length() > 300 ? body.substring(0, 300) + "..." : body)
                            + (r.header("Retry-After") == null ? "" : " (Retry-After " + r.header("Retry-After") + ")"));
                }
            }
            return r;
        } catch (RuntimeException e) {
            samples.add(new Sample(op, phase, start, System.currentTimeMillis(), -1, null));
            throw e;
        }
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    public java.util.Map<String, List<String>> examples() {
        return new java.util.TreeMap<>(examples);
    }

    public synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    public synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /**
     * Whether a failed request was in flight on a killed node: it started before the node was dead and ended after
     * the kill began, and HAProxy sent it to that node (or named no node, as for a connection it lost).
     */
    public boolean inFlightOnKilledNode(Sample s) {
        for (Fault f : faults()) {
            if (f.kind.equals("SIGKILL") && s.start <= f.end && s.end >= f.start && (s.node == null || s.node.equals(f.node))) {
                return true;
            }
        }
        return false;
    }
}
