package dev.authoritypack.keycloak.auth0import;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of one upload: lines read (blank lines not counted), created, updated, unchanged, and each failed
 * line with its number and reason, in line order. As JSON ({@link #json}) or, for the command line, as one summary
 * line plus one line per failure ({@link #plainText}).
 */
final class Auth0ImportReport {

    private final Map<Auth0UserImport.Outcome, Integer> counts = new EnumMap<>(Auth0UserImport.Outcome.class);
    private final List<Map<String, Object>> failed = new ArrayList<>();
    private int lines;

    /** A non-blank line was read. */
    void line() {
        lines++;
    }

    void add(Auth0UserImport.Outcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
    }

    void failed(int line, String reason) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("line", line);
        f.put("reason", reason);
        failed.add(f);
    }

    /** {@code {"lines", "created", "updated", "unchanged", "failed": [{"line", "reason"}]}}. */
    Map<String, Object> json() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("lines", lines);
        report.put("created", counted(Auth0UserImport.Outcome.CREATED));
        report.put("updated", counted(Auth0UserImport.Outcome.UPDATED));
        report.put("unchanged", counted(Auth0UserImport.Outcome.UNCHANGED));
        report.put("failed", sortedFailures());
        return report;
    }

    /** {@code lines=… created=… updated=… unchanged=… failed=…}, then {@code line N: reason} per failure. */
    String plainText() {
        List<Map<String, Object>> failures = sortedFailures();
        StringBuilder out = new StringBuilder("lines=%d created=%d updated=%d unchanged=%d failed=%d\n".formatted(lines,
                counted(Auth0UserImport.Outcome.CREATED), counted(Auth0UserImport.Outcome.UPDATED), counted(Auth0UserImport.Outcome.UNCHANGED),
                failures.size()));
        failures.forEach(f -> out.append("line ").append(f.get("line")).append(": ").append(f.get("reason")).append('\n'));
        return out.toString();
    }

    private int counted(Auth0UserImport.Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** Failures in line order (a batch redone line by line reports after the lines that failed while reading). */
    private List<Map<String, Object>> sortedFailures() {
        failed.sort(Comparator.comparingInt(f -> (Integer) f.get("line")));
        return failed;
    }
}
