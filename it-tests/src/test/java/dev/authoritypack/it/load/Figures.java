package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.Http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a load run, per phase and operation: answers per second, p50/p95/p99 latency, and the failures
 * (5xx or no answer) split into those in flight on a killed node and everything else. Printed as a table and
 * written as JSON.
 */
public final class Figures {

    private Figures() {
    }

    /** The row of one operation in one phase. */
    record Row(String phase, String op, int count, double perSecond, long p50, long p95, long p99, int inFlightOnKilled, int otherFailures,
               Map<Integer, Integer> statuses) {
    }

    static List<Row> rows(Recorder rec) {
        List<Row> rows = new ArrayList<>();
        for (Recorder.Phase phase : rec.phases()) {
            double seconds = Math.max(1, (phase.end == 0 ? System.currentTimeMillis() : phase.end) - phase.start) / 1000.0;
            Map<String, List<Recorder.Sample>> byOp = new TreeMap<>();
            for (Recorder.Sample s : rec.samples()) {
                if (s.phase().equals(phase.name)) {
                    byOp.computeIfAbsent(s.op(), k -> new ArrayList<>()).add(s);
                }
            }
            byOp.forEach((op, samples) -> rows.add(row(rec, phase.name, op, samples, seconds)));
        }
        return rows;
    }

    static Row row(Recorder rec, String phase, String op, List<Recorder.Sample> samples, double seconds) {
        List<Long> millis = new ArrayList<>(samples.stream().map(Recorder.Sample::millis).toList());
        Collections.sort(millis);
        int inFlight = 0;
        int other = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Recorder.Sample s : samples) {
            statuses.merge(s.status(), 1, Integer::sum);
            if (s.failed()) {
                if (rec.inFlightOnKilledNode(s)) {
                    inFlight++;
                } else {
                    other++;
                }
            }
        }
        return new Row(phase, op, samples.size(), samples.size() / seconds, percentile(millis, 50), percentile(millis, 95),
                percentile(millis, 99), inFlight, other, statuses);
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The table, one line per phase and operation. */
    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format("%-16s %-38s %6s %7s %6s %6s %6s %9s %6s  %s%n",
                "phase", "operation", "count", "per s", "p50", "p95", "p99", "killed*", "other", "statuses"));
        for (Row r : rows) {
            out.append(String.format("%-16s %-38s %6d %7.2f %6d %6d %6d %9d %6d  %s%n", r.phase(), r.op(), r.count(), r.perSecond(),
                    r.p50(), r.p95(), r.p99(), r.inFlightOnKilled(), r.otherFailures(), r.statuses()));
        }
        out.append("(milliseconds; killed*: failures in flight on the killed node; other: every other 5xx or lost answer)\n");
        return out.toString();
    }

    static ObjectNode json(Recorder rec, List<Row> rows, Checks checks) {
        ObjectNode root = Http.JSON.createObjectNode();
        ArrayNode phases = root.putArray("phases");
        for (Recorder.Phase p : rec.phases()) {
            phases.addObject().put("name", p.name).put("start", p.start).put("end", p.end).put("seconds", (p.end - p.start) / 1000.0);
        }
        ArrayNode faults = root.putArray("faults");
        for (Recorder.Fault f : rec.faults()) {
            faults.addObject().put("kind", f.kind()).put("node", f.node()).put("start", f.start()).put("end", f.end());
        }
        ArrayNode ops = root.putArray("operations");
        for (Row r : rows) {
            ObjectNode o = ops.addObject().put("phase", r.phase()).put("operation", r.op()).put("count", r.count())
                    .put("per_second", Math.round(r.perSecond() * 100) / 100.0).put("p50_ms", r.p50()).put("p95_ms", r.p95()).put("p99_ms", r.p99())
                    .put("failures_in_flight_on_killed_node", r.inFlightOnKilled()).put("failures_other", r.otherFailures());
            ObjectNode statuses = o.putObject("statuses");
            r.statuses().forEach((k, v) -> statuses.put(String.valueOf(k), v));
        }
        root.set("error_examples", Http.JSON.valueToTree(rec.examples()));
        root.set("invariants_exercised", Http.JSON.valueToTree(checks.exercised()));
        root.set("violations", Http.JSON.valueToTree(checks.violations()));
        return root;
    }
}
