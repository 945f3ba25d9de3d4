package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.CompanyRealm;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PackRealmScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A realm's export before and after {@code ./run.sh apply-pack} differs only in the pack's parts, and after
 * {@code remove-pack} equals the export before (issue 35, docs/existing-keycloak.md). Each snapshot is what an
 * operator can read back: Keycloak's partial export ({@code POST /admin/realms/{r}/partial-export} with clients,
 * groups and roles), the realm representation ({@code GET /admin/realms/{r}}) and the users with their groups and
 * credentials. The pack's parts are those the apply recorded in {@code authority.pack.parts}: its flows (and the
 * authenticator configs their steps name), clients (their roles and scope mappings), client scope, client profile
 * and policy, realm role, themes and attributes, plus the opt-in, the record itself and, with {@code --bind-flows},
 * the two bindings and the record of the old ones.
 */
@PackIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealmExportDiffIT {

    private static final String REALM = "exported";

    private KeycloakServer server;
    private AdminApi admin;
    private Map<String, List<String>> before;
    private Map<String, List<String>> applied;

    @BeforeAll
    void aCompanysRealm(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        ApiTraffic.stockRealm(REALM, true);
        CompanyRealm.create(admin, REALM);
        before = snapshot();
    }

    @Test
    @Order(1)
    void applyAddsOnlyThePacksParts() {
        String report = new PackRealmScript(server.baseUri()).succeed("apply-pack", REALM, "--bind-flows");
        ApiTraffic.stockRealm(REALM, false);
        applied = snapshot();
        JsonNode realm = admin.getJson("/realms/" + REALM);
        String recorded = realm.path("attributes").path("authority.pack.parts").asText();
        assertFalse(recorded.isEmpty(), "the apply records its parts: " + report);
        Set<String> prefixes = packPrefixes(recorded);

        StringBuilder outside = new StringBuilder();
        Set<String> touched = new TreeSet<>();
        for (String section : before.keySet()) {
            for (String line : changed(before.get(section), applied.get(section))) {
                String prefix = prefixes.stream().filter(p -> under(line, p)).findFirst().orElse(null);
                if (prefix == null) {
                    outside.append("  ").append(section).append(' ').append(line).append('\n');
                } else {
                    touched.add(prefix);
                }
            }
        }
        assertTrue(outside.isEmpty(), "the apply changed more than the pack's parts (" + recorded + "):\n" + outside + "report:\n" + report);
        // and the parts are really there: each recorded client, flow and the opt-in shows in the export
        for (String part : recorded.split("\\|")) {
            String kind = part.substring(0, part.indexOf('='));
            String name = part.substring(part.indexOf('=') + 1);
            if (kind.equals("client")) {
                assertTrue(touched.contains(".clients[" + name + "]"), "client " + name + " in the export: " + touched);
            } else if (kind.equals("flow")) {
                assertTrue(touched.contains(".authenticationFlows[" + name + "]"), "flow " + name + " in the export: " + touched);
            }
        }
        assertTrue(touched.contains(".attributes.authority.pack.enabled"), touched::toString);
        assertTrue(touched.contains(".browserFlow") && touched.contains(".directGrantFlow"), "--bind-flows: " + touched);
        assertEquals(before.get("users"), applied.get("users"), "users, their groups and credentials untouched");
    }

    @Test
    @Order(2)
    void aSecondApplyLeavesTheExportAsItWas() {
        String report = new PackRealmScript(server.baseUri()).succeed("apply-pack", REALM, "--bind-flows");
        assertTrue(report.trim().endsWith("changes: 0"), report);
        Map<String, List<String>> again = snapshot();
        StringBuilder differences = new StringBuilder();
        for (String section : applied.keySet()) {
            differences.append(Answer.diff(section, applied.get(section), again.get(section)));
        }
        assertTrue(differences.isEmpty(), "a second apply changed the export:\n" + differences);
    }

    /**
     * After the removal the export equals the one before the apply: docs/existing-keycloak.md names nothing that
     * stays for a realm that is not the host-root routes' default realm.
     */
    @Test
    @Order(3)
    void removeGivesBackTheExportOfBefore() {
        String report = new PackRealmScript(server.baseUri()).succeed("remove-pack", REALM);
        ApiTraffic.stockRealm(REALM, true);
        Map<String, List<String>> removed = snapshot();
        StringBuilder differences = new StringBuilder();
        for (String section : before.keySet()) {
            differences.append(Answer.diff(section + " (before apply / after remove)", before.get(section), removed.get(section)));
        }
        assertTrue(differences.isEmpty(), "left behind (or lost) by apply + remove:\n" + differences + "report:\n" + report);
    }

    @AfterAll
    void deleteTheRealm() {
        admin.send("DELETE", "/realms/" + REALM, null); // the suite's later classes meet no extra realm
    }

    // ------------------------------------------------------------------------------------------- snapshots

    /** The three documents, each flattened to {@code path = value} lines, list elements named by their identity. */
    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        Http.Response export = admin.send("POST", "/realms/" + REALM + "/partial-export?exportClients=true&exportGroupsAndRoles=true", null);
        assertEquals(200, export.status(), export::toString);
        sections.put("partial-export", flatten(export.json()));
        sections.put("realm", flatten(admin.getJson("/realms/" + REALM)));
        ArrayNode users = Http.JSON.createArrayNode();
        for (JsonNode user : admin.getJson("/realms/" + REALM + "/users?briefRepresentation=false&max=1000")) {
            ObjectNode u = user.deepCopy();
            String id = user.get("id").asText();
            u.set("credentials", admin.getJson("/realms/" + REALM + "/users/" + id + "/credentials"));
            u.set("groups", admin.getJson("/realms/" + REALM + "/users/" + id + "/groups"));
            u.set("realmRoles", admin.getJson("/realms/" + REALM + "/users/" + id + "/role-mappings/realm"));
            u.set("sessions", Http.JSON.valueToTree(admin.getJson("/realms/" + REALM + "/users/" + id + "/sessions").size()));
            users.add(u);
        }
        sections.put("users", flatten(users));
        return sections;
    }

    /** Keys that name a list element, in the order tried: a client by its clientId, a flow by its alias, .... */
    private static final List<String> IDENTITIES = List.of("clientId", "alias", "username", "name", "client", "clientScope",
            "condition", "executor", "type", "providerId");

    static List<String> flatten(JsonNode node) {
        List<String> lines = new ArrayList<>();
        flatten(lines, "", node);
        return lines;
    }

    private static void flatten(List<String> lines, String path, JsonNode node) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                lines.add(path + " = {}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(lines, path + "." + f.getKey(), f.getValue());
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                lines.add(path + " = []");
            }
            if (node.get(0) != null && node.get(0).isValueNode()) {
                // a list of names (a client's default scopes, a role's composites): Keycloak returns them in no fixed
                // order, so as a set
                Set<String> values = new TreeSet<>();
                node.forEach(v -> values.add(v.toString()));
                values.forEach(v -> lines.add(path + "[] = " + v));
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode e = node.get(i);
                String key = String.valueOf(i);
                if (e.isObject()) {
                    for (String identity : IDENTITIES) {
                        if (e.path(identity).isTextual()) {
                            key = e.get(identity).asText();
                            break;
                        }
                    }
                }
                flatten(lines, path + "[" + key + "]", e);
            }
        } else {
            lines.add(path + " = " + node);
        }
    }

    /** The lines only one of the two has (either way): what changed. */
    private static Set<String> changed(List<String> a, List<String> b) {
        Set<String> changed = new LinkedHashSet<>(a);
        changed.removeAll(b);
        Set<String> added = new LinkedHashSet<>(b);
        added.removeAll(a);
        changed.addAll(added);
        return changed;
    }

    private static boolean under(String line, String prefix) {
        if (prefix.endsWith("]") && line.equals(prefix.substring(0, prefix.lastIndexOf('[')) + " = []")) {
            return true; // the list the part went into was empty before
        }
        if (!line.startsWith(prefix)) {
            return false;
        }
        char next = line.length() > prefix.length() ? line.charAt(prefix.length()) : ' ';
        return next == '.' || next == '[' || next == ' ';
    }

    /** The paths of the pack's parts in the three documents, from the apply's record. */
    private Set<String> packPrefixes(String recorded) {
        Set<String> prefixes = new LinkedHashSet<>(List.of(".attributes.authority.pack.enabled", ".attributes.authority.pack.parts",
                ".attributes.authority.pack.previous.browser-flow", ".attributes.authority.pack.previous.direct-grant-flow",
                ".browserFlow", ".directGrantFlow"));
        for (String part : recorded.split("\\|")) {
            String kind = part.substring(0, part.indexOf('='));
            String name = part.substring(part.indexOf('=') + 1);
            switch (kind) {
                case "attribute" -> prefixes.add(".attributes." + name);
                case "role" -> prefixes.add(".roles.realm[" + name + "]");
                case "scope" -> prefixes.add(".clientScopes[" + name + "]");
                case "client" -> prefixes.addAll(List.of(".clients[" + name + "]", ".roles.client." + name,
                        ".scopeMappings[" + name + "]", ".clientScopeMappings." + name));
                case "profile" -> prefixes.add(".clientProfiles.profiles[" + name + "]");
                case "policy" -> prefixes.add(".clientPolicies.policies[" + name + "]");
                case "flow" -> {
                    prefixes.add(".authenticationFlows[" + name + "]");
                    // the authenticator configs the pack's flow steps name
                    for (String line : applied.get("partial-export")) {
                        String step = ".authenticationFlows[" + name + "].authenticationExecutions[";
                        if (line.startsWith(step) && line.contains("].authenticatorConfig = ")) {
                            String alias = line.substring(line.indexOf(" = ") + 3).replace("\"", "");
                            prefixes.add(".authenticatorConfig[" + alias + "]");
                        }
                    }
                }
                case "theme" -> prefixes.addAll(List.of("." + name + "Theme", ".attributes.authority.pack.previous." + name + "-theme"));
                default -> throw new AssertionError("a part of a kind this test does not know: " + part + " (extend packPrefixes)");
            }
        }
        return prefixes;
    }
}
