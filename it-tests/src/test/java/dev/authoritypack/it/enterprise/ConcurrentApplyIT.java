package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.CompanyRealm;
import dev.authoritypack.it.support.Concurrently;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two administrators (or two pipelines) apply the pack to one realm at the same moment, and later remove it at the
 * same moment: each request answers as if it had been alone or second — one makes the changes, the other finds
 * them made — and the realm ends with each of the pack's flows once, as one apply leaves it (docs/existing-keycloak.md,
 * *Applying twice*). The admin endpoint takes the realm's row lock for its transaction ({@code PackRealmAdminResource}).
 */
@PackIntegrationTest
class ConcurrentApplyIT {

    private static final String REALM = "concurrent-apply";

    @Test
    void twoAppliesAtOnceLeaveTheRealmAsOneApplyDoes(KeycloakServer server, AdminApi admin) throws Exception {
        CompanyRealm.create(admin, REALM);
        try {
            String file = Files.readString(KeycloakServer.projectRoot().resolve("realm-config/authority-realm.json"));
            List<Http.Response> applied = Concurrently.atOnce(2, () -> admin.send("POST", "/realms/" + REALM + "/authority-pack/apply?bind_flows=true", file));
            for (Http.Response r : applied) {
                assertEquals(200, r.status(), "each apply answers as if alone: " + r);
            }
            List<Integer> changes = applied.stream().map(ConcurrentApplyIT::changes).sorted().toList();
            assertEquals(0, changes.get(0), "the second finds the first's changes made: " + applied);
            assertTrue(changes.get(1) > 10, "the first makes them: " + applied);
            Map<String, Integer> flows = new HashMap<>();
            admin.getJson("/realms/" + REALM + "/authentication/flows").forEach(f -> flows.merge(f.path("alias").asText(), 1, Integer::sum));
            flows.forEach((alias, n) -> assertEquals(1, n, "flow '" + alias + "' once: " + flows));
            Http.Response again = admin.send("POST", "/realms/" + REALM + "/authority-pack/apply?bind_flows=true", file);
            assertEquals(0, changes(again), "a third apply changes nothing: " + again);

            List<Http.Response> removed = Concurrently.atOnce(2, () -> admin.send("POST", "/realms/" + REALM + "/authority-pack/remove", null));
            for (Http.Response r : removed) {
                assertEquals(200, r.status(), "each removal answers as if alone: " + r);
            }
            assertEquals(List.of(0), removed.stream().map(ConcurrentApplyIT::changes).sorted().toList().subList(0, 1),
                    "the second removal finds nothing left to remove: " + removed);
            JsonNode realm = admin.getJson("/realms/" + REALM);
            assertEquals(CompanyRealm.FLOW, realm.path("browserFlow").asText(), "the company's own flow is back");
            assertTrue(realm.path("attributes").path("authority.pack.parts").isMissingNode(), "no record is left: " + realm.path("attributes"));
        } finally {
            admin.send("DELETE", "/realms/" + REALM, null);
        }
    }

    /** The report's last line, {@code changes: N}. */
    private static int changes(Http.Response report) {
        String body = report.body().strip();
        String last = body.substring(body.lastIndexOf('\n') + 1);
        if (!last.startsWith("changes: ")) {
            throw new AssertionError("not a report: " + report);
        }
        return Integer.parseInt(last.substring("changes: ".length()));
    }
}
