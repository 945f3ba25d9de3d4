package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of Auth0's exports, read and checked, with nothing of Keycloak in it: the import endpoint
 * ({@link Auth0UserImport}) and the realm-JSON converter ({@link Auth0RealmJson}, run without a server) read lines
 * the same way and refuse the same lines with the same reasons.
 */
final class Auth0Line {

    /** A line that cannot be imported; the reason never repeats a secret. */
    static final class BadLine extends RuntimeException {
        BadLine(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Auth0's social connection names that differ from the realm's identity-provider aliases. */
    private static final Map<String, String> SOCIAL_ALIASES = Map.of("google-oauth2", "google", "github", "github");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d{2})\\$[./A-Za-z0-9]{53}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    /** A line of the bulk user export. */
    record User(String userId, String email, boolean emailVerified, boolean blocked, String givenName, String familyName,
                String createdAt, Map<String, String> socialIdentities, Set<String> roles, boolean license) {

        /** {@code app_metadata.roles}, and the realm's licence role when {@code app_metadata.license} is true. */
        Set<String> roleNames(String licenseRole) {
            Set<String> names = new LinkedHashSet<>(roles);
            if (license) {
                names.add(licenseRole);
            }
            return names;
        }

        /** {@code created_at} in epoch milliseconds, or {@code null} when the line has none. */
        Long createdAtMillis() {
            if (createdAt == null) {
                return null;
            }
            try {
                return Instant.parse(createdAt).toEpochMilli();
            } catch (RuntimeException e) {
                throw new BadLine("created_at is not an ISO-8601 instant");
            }
        }
    }

    /** A line of the password-hash export: a bcrypt hash and its cost. */
    record PasswordHash(String oid, String email, String hash, int cost) {
    }

    private Auth0Line() {
    }

    /** The realm's Auth0 identity provider: the realm attribute's value, {@code auth0} when it is not set. */
    static String auth0Alias(String attribute) {
        return attribute == null || attribute.isBlank() ? "auth0" : attribute;
    }

    /** The realm's licence role: the realm attribute's value, {@code license} when it is not set. */
    static String licenseRole(String attribute) {
        return attribute == null || attribute.isBlank() ? "license" : attribute;
    }

    /** A line's JSON object, or {@link BadLine}. */
    static JsonNode parse(ObjectMapper mapper, String text) {
        JsonNode line;
        try {
            line = mapper.readTree(text);
        } catch (IOException e) {
            throw new BadLine("the line is not JSON");
        }
        if (line == null || !line.isObject()) {
            throw new BadLine("the line is not a JSON object");
        }
        return line;
    }

    static User user(JsonNode line) {
        String userId = required(line, "user_id");
        String email = required(line, "email").toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches() || email.length() > 254) {
            throw new BadLine("email is not an email address");
        }
        Map<String, String> social = new LinkedHashMap<>();
        for (JsonNode identity : line.path("identities")) {
            String provider = identity.path("provider").asText("");
            String alias = SOCIAL_ALIASES.getOrDefault(provider, provider);
            if (identity.path("isSocial").asBoolean(false) && !alias.isEmpty()) {
                social.put(alias, identity.path("user_id").asText());
            }
        }
        JsonNode appMetadata = line.path("app_metadata");
        Set<String> roles = new LinkedHashSet<>();
        for (JsonNode role : appMetadata.path("roles")) {
            roles.add(role.asText());
        }
        return new User(userId, email, line.path("email_verified").asBoolean(false), line.path("blocked").asBoolean(false),
                text(line, "given_name"), text(line, "family_name"), text(line, "created_at"), social, roles,
                appMetadata.path("license").asBoolean(false));
    }

    static PasswordHash passwordHash(JsonNode line) {
        String oid = line.path("_id").path("$oid").asText(line.path("_id").isTextual() ? line.path("_id").asText() : "");
        String email = text(line, "email");
        String hash = required(line, "passwordHash");
        Matcher bcrypt = BCRYPT.matcher(hash);
        if (!bcrypt.matches()) {
            throw new BadLine("passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$)");
        }
        int cost = Integer.parseInt(bcrypt.group(1));
        if (cost < 4 || cost > PasswordCheckCost.MAX_ACCEPTED_COST) {
            // bcrypt takes 4-31; above the pack's limit every refused sign-in of the realm would pay it (PasswordCheckCost)
            throw new BadLine("bcrypt cost " + cost + " is outside 4-" + PasswordCheckCost.MAX_ACCEPTED_COST + " (Auth0 hashes at 10)");
        }
        return new PasswordHash(oid, email == null ? null : email.toLowerCase(Locale.ROOT), hash, cost);
    }

    private static String required(JsonNode line, String field) {
        String value = text(line, field);
        if (value == null) {
            throw new BadLine(field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }
}
