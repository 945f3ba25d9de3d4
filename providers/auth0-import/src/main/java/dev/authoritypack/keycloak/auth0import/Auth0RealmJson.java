package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Auth0's exports as a Keycloak realm-import users file, without a server: {@code ./run.sh convert-auth0}. The same
 * mapping as the import endpoint (the lines are read by {@link Auth0Line}), written as the user representations
 * Keycloak's own realm import reads ({@code kc.sh import}, {@code --import-realm}, the admin API's partial import):
 * username and email, verified state, names, {@code blocked} as disabled, creation time, the link to the Auth0
 * identity provider and the realm's social providers, realm roles from {@code app_metadata}, and the bcrypt hash as
 * a password credential of algorithm {@code bcrypt}. The realm's JSON (its name, roles, identity providers and the
 * pack's attributes) decides what a line may name, as the realm itself does for the endpoint.
 *
 * <p>Output: {@code {"realm": …, "users": […]}} on standard output, the same for the same input. The report goes to
 * standard error: counts, then each refused line with its file, number and reason. Exit status 0 when every line
 * went in, 1 when some were refused (the others are written), 2 when the input cannot be read.
 */
public final class Auth0RealmJson {

    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final String realm;
    private final String auth0Alias;
    private final String licenseRole;
    private final Set<String> realmRoles = new HashSet<>();
    private final Set<String> identityProviders = new HashSet<>();
    private final Map<String, ObjectNode> usersById = new LinkedHashMap<>();
    private final Map<String, String> idByEmail = new HashMap<>();
    private final Map<String, String> holderOfLink = new HashMap<>();
    private final List<String> refused = new ArrayList<>();
    private int highestBcryptCost;

    Auth0RealmJson(JsonNode realmJson) {
        realm = realmJson.path("realm").asText();
        JsonNode attributes = realmJson.path("attributes");
        auth0Alias = Auth0Line.auth0Alias(attributes.path(Auth0UserImport.AUTH0_ALIAS_ATTRIBUTE).asText(null));
        licenseRole = Auth0Line.licenseRole(attributes.path(Auth0UserImport.LICENSE_ROLE_ATTRIBUTE).asText(null));
        realmJson.path("roles").path("realm").forEach(r -> realmRoles.add(r.path("name").asText()));
        realmJson.path("identityProviders").forEach(p -> identityProviders.add(p.path("alias").asText()));
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Auth0RealmJson REALM.json USERS.ndjson [PASSWORD-HASHES.ndjson] > USERS.json");
            System.exit(2);
        }
        try {
            Auth0RealmJson converter = new Auth0RealmJson(JSON.readTree(Path.of(args[0]).toFile()));
            int users = converter.readUsers(Path.of(args[1]));
            int hashes = args.length == 3 ? converter.readHashes(Path.of(args[2])) : 0;
            converter.write(System.out);
            System.out.flush();
            PrintStream report = System.err;
            report.printf("%d users and %d password hashes written for realm %s; %d lines refused%n", users, hashes,
                    converter.realm, converter.refused.size());
            converter.refused.forEach(report::println);
            if (converter.highestBcryptCost > 0) {
                // a users file carries no realm attributes; the import endpoint sets this one itself
                report.printf("set the realm attribute %s=%d so that a wrong password takes as long for every account "
                        + "while these hashes remain%n", PasswordCheckCost.BCRYPT_COST_ATTRIBUTE, converter.highestBcryptCost);
            }
            System.exit(converter.refused.isEmpty() ? 0 : 1);
        } catch (IOException e) {
            System.err.println("cannot read the input: " + e.getMessage());
            System.exit(2);
        }
    }

    int readUsers(Path file) throws IOException {
        return eachLine(file, json -> {
            Auth0Line.User line = Auth0Line.user(json);
            if (usersById.containsKey(line.userId())) {
                throw new Auth0Line.BadLine("the user_id appears on an earlier line");
            }
            if (idByEmail.containsKey(line.email())) {
                throw new Auth0Line.BadLine("the email belongs to another Auth0 user already imported");
            }
            Set<String> roles = line.roleNames(licenseRole);
            for (String role : roles) {
                if (!realmRoles.contains(role)) {
                    throw new Auth0Line.BadLine("app_metadata names the realm role '" + role + "', which the realm does not have");
                }
            }
            Map<String, String> links = new LinkedHashMap<>();
            links.put(auth0Alias, line.userId());
            line.socialIdentities().forEach((alias, id) -> {
                if (identityProviders.contains(alias)) {
                    links.putIfAbsent(alias, id);
                }
            });
            for (Map.Entry<String, String> link : links.entrySet()) {
                if (holderOfLink.containsKey(link.getKey() + "\n" + link.getValue())) {
                    throw new Auth0Line.BadLine("the " + link.getKey() + " account is linked to another user");
                }
            }
            ObjectNode user = JSON.createObjectNode();
            user.put("username", line.email()).put("email", line.email()).put("emailVerified", line.emailVerified())
                    .put("enabled", !line.blocked());
            if (line.givenName() != null) {
                user.put("firstName", line.givenName());
            }
            if (line.familyName() != null) {
                user.put("lastName", line.familyName());
            }
            Long createdAt = line.createdAtMillis();
            if (createdAt != null) {
                user.put("createdTimestamp", createdAt);
            }
            ArrayNode identities = user.putArray("federatedIdentities");
            links.forEach((alias, id) -> identities.addObject().put("identityProvider", alias).put("userId", id).put("userName", line.email()));
            if (!roles.isEmpty()) {
                roles.forEach(user.putArray("realmRoles")::add);
            }
            links.forEach((alias, id) -> holderOfLink.put(alias + "\n" + id, line.userId()));
            usersById.put(line.userId(), user);
            idByEmail.put(line.email(), line.userId());
        });
    }

    int readHashes(Path file) throws IOException {
        return eachLine(file, json -> {
            Auth0Line.PasswordHash line = Auth0Line.passwordHash(json);
            String userId = line.oid().isEmpty() ? null : "auth0|" + line.oid();
            if (userId == null || !usersById.containsKey(userId)) {
                userId = line.email() == null ? null : idByEmail.get(line.email());
            }
            if (userId == null) {
                throw new Auth0Line.BadLine("no imported user with this _id or email (import the users first)");
            }
            // the stored form of Keycloak's PasswordCredentialModel for algorithm bcrypt (salt inside the hash)
            ObjectNode secret = JSON.createObjectNode().put("value", line.hash()).put("salt", "");
            secret.putObject("additionalParameters");
            highestBcryptCost = Math.max(highestBcryptCost, line.cost());
            ObjectNode data = JSON.createObjectNode().put("hashIterations", line.cost()).put("algorithm", "bcrypt");
            data.putObject("additionalParameters");
            ArrayNode credentials = usersById.get(userId).putArray("credentials");
            credentials.addObject().put("type", "password").put("secretData", secret.toString()).put("credentialData", data.toString());
        });
    }

    /** Runs {@code step} on each line; a refused line is reported with its file and number (from 1) and skipped. */
    private int eachLine(Path file, java.util.function.Consumer<JsonNode> step) throws IOException {
        int done = 0;
        int number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    step.accept(Auth0Line.parse(JSON, text));
                    done++;
                } catch (Auth0Line.BadLine e) {
                    refused.add(file.getFileName() + ": line " + number + ": " + e.getMessage());
                }
            }
        }
        return done;
    }

    /** The refused lines so far, each as {@code <file>: line <n>: <reason>}. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    /** The highest bcrypt cost among the hashes read so far; 0 without any. */
    int highestBcryptCost() {
        return highestBcryptCost;
    }

    void write(OutputStream out) throws IOException {
        ObjectNode file = JSON.createObjectNode().put("realm", realm);
        ArrayNode users = file.putArray("users");
        usersById.values().forEach(users::add);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, file);
    }
}
