package dev.authoritypack.keycloak.auth0import;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Auth0ImportReportTest {

    @Test
    void anEmptyUpload() {
        Auth0ImportReport report = new Auth0ImportReport();
        assertEquals(Map.of("lines", 0, "created", 0, "updated", 0, "unchanged", 0, "failed", List.of()), report.json());
        assertEquals("lines=0 created=0 updated=0 unchanged=0 failed=0\n", report.plainText());
    }

    @Test
    void countsAndFailuresInLineOrder() {
        Auth0ImportReport report = new Auth0ImportReport();
        for (int i = 0; i < 6; i++) {
            report.line();
        }
        report.add(Auth0UserImport.Outcome.CREATED);
        report.add(Auth0UserImport.Outcome.CREATED);
        report.add(Auth0UserImport.Outcome.UPDATED);
        report.add(Auth0UserImport.Outcome.UNCHANGED);
        report.failed(9, "the line is not JSON");
        report.failed(3, "email is missing");

        Map<String, Object> json = report.json();
        assertEquals(List.of("lines", "created", "updated", "unchanged", "failed"), List.copyOf(json.keySet()));
        assertEquals(6, json.get("lines"));
        assertEquals(2, json.get("created"));
        assertEquals(1, json.get("updated"));
        assertEquals(1, json.get("unchanged"));
        assertEquals(List.of(Map.of("line", 3, "reason", "email is missing"), Map.of("line", 9, "reason", "the line is not JSON")),
                json.get("failed"));
        assertEquals("""
                lines=6 created=2 updated=1 unchanged=1 failed=2
                line 3: email is missing
                line 9: the line is not JSON
                """, report.plainText());
    }

    @Test
    void failuresOfOneLineKeepTheirOrder() {
        Auth0ImportReport report = new Auth0ImportReport();
        report.failed(5, "second");
        report.failed(2, "first");
        report.failed(5, "third");
        assertEquals("""
                lines=0 created=0 updated=0 unchanged=0 failed=3
                line 2: first
                line 5: second
                line 5: third
                """, report.plainText());
    }
}
