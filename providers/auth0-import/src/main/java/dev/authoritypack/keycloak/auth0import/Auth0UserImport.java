package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of an Auth0 export into a Keycloak user, on Keycloak's user model (as its own realm import writes users).
 * Every change is compared first, so a second import of the same line changes nothing and says so.
 *
 * <p>Users ({@link #user}): found by their link to the {@code auth0} identity provider ({@code user_id}), else by
 * email; created with the email as username. Email, {@code email_verified}, names, {@code blocked} (→ disabled) and
 * {@code created_at} are taken over; the account is linked to {@code auth0} with the Auth0 {@code user_id} (what
 * {@code /api/login} matches a token's {@code sub} against) and to each social identity whose provider is a
 * realm identity provider ({@code google-oauth2} → {@code google}); {@code app_metadata.roles} become realm roles of
 * the same name (which must exist) and {@code app_metadata.license: true} the licence role. Roles are only added.
 *
 * <p>Password hashes ({@link #passwordHash}): Auth0's hash export ({@code _id.$oid}, {@code email},
 * {@code passwordHash}) becomes a password credential of algorithm {@code bcrypt} (provider
 * {@code authority-password-hashes}), unless the user already has a password that is not bcrypt — a user who
 * signed in since (Keycloak re-hashed it) or set a new one keeps it.
 */
final class Auth0UserImport {

    enum Outcome { CREATED, UPDATED, UNCHANGED }

    /** A line that cannot be imported; the reason never repeats a secret. */
    static final class BadLine extends RuntimeException {
        BadLine(String reason) {
            super(reason, null, false, false);
        }
    }

    static final String AUTH0_ALIAS_ATTRIBUTE = "authority.legacy-login.identity-provider";
    static final String LICENSE_ROLE_ATTRIBUTE = "authority.legacy-login.license-role";
    private static final Map<String, String> SOCIAL_ALIASES = Map.of("google-oauth2", "google", "github", "github");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d{2})\\$[./A-Za-z0-9]{53}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final KeycloakSession session;
    private final RealmModel realm;

    Auth0UserImport(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    Outcome user(JsonNode line) {
        String userId = required(line, "user_id");
        String email = required(line, "email").toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches() || email.length() > 254) {
            throw new BadLine("email is not an email address");
        }
        String auth0 = auth0Alias();
        UserModel user = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(auth0, userId, email));
        if (user == null) {
            user = session.users().getUserByEmail(realm, email);
            FederatedIdentityModel other = user == null ? null : session.users().getFederatedIdentity(realm, user, auth0);
            if (other != null && !other.getUserId().equals(userId)) {
                throw new BadLine("the email belongs to another Auth0 user already imported");
            }
        }
        boolean created = user == null;
        if (created) {
            // a user whose username is this address but whose email is not fails here (the store refuses the
            // duplicate username and the line is reported)
            user = session.users().addUser(realm, email);
            user.setEnabled(true);
            String createdAt = text(line, "created_at");
            if (createdAt != null) {
                try {
                    user.setCreatedTimestamp(Instant.parse(createdAt).toEpochMilli());
                } catch (RuntimeException e) {
                    throw new BadLine("created_at is not an ISO-8601 instant");
                }
            }
        }
        boolean changed = false;
        changed |= set(user.getEmail(), email, user::setEmail);
        changed |= set(user.isEmailVerified(), line.path("email_verified").asBoolean(false), user::setEmailVerified);
        changed |= set(user.isEnabled(), !line.path("blocked").asBoolean(false), user::setEnabled);
        String given = text(line, "given_name");
        String family = text(line, "family_name");
        if (given != null) {
            changed |= set(user.getFirstName(), given, user::setFirstName);
        }
        if (family != null) {
            changed |= set(user.getLastName(), family, user::setLastName);
        }
        if (created) {
            // nobody holds this Auth0 user_id (looked up above) and a new user has no links
            session.users().addFederatedIdentity(realm, user, new FederatedIdentityModel(auth0, userId, email));
        } else {
            changed |= link(user, auth0, userId, email);
        }
        for (JsonNode identity : line.path("identities")) {
            String alias = SOCIAL_ALIASES.getOrDefault(identity.path("provider").asText(""), identity.path("provider").asText(""));
            if (identity.path("isSocial").asBoolean(false) && !alias.isEmpty() && session.identityProviders().getByAlias(alias) != null) {
                changed |= link(user, alias, identity.path("user_id").asText(), email);
            }
        }
        for (RoleModel role : roles(line.path("app_metadata"))) {
            if (!user.hasDirectRole(role)) {
                user.grantRole(role);
                changed = true;
            }
        }
        return created ? Outcome.CREATED : changed ? Outcome.UPDATED : Outcome.UNCHANGED;
    }

    Outcome passwordHash(JsonNode line) {
        String oid = line.path("_id").path("$oid").asText(line.path("_id").isTextual() ? line.path("_id").asText() : "");
        String email = text(line, "email");
        String hash = required(line, "passwordHash");
        java.util.regex.Matcher bcrypt = BCRYPT.matcher(hash);
        if (!bcrypt.matches()) {
            throw new BadLine("passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$)");
        }
        UserModel user = oid.isEmpty() ? null
                : session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(auth0Alias(), "auth0|" + oid, null));
        if (user == null && email != null) {
            user = session.users().getUserByEmail(realm, email.toLowerCase(Locale.ROOT));
        }
        if (user == null) {
            throw new BadLine("no imported user with this _id or email (import the users first)");
        }
        PasswordCredentialModel current = user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(PasswordCredentialModel::createFromCredentialModel).findFirst().orElse(null);
        if (current != null && !"bcrypt".equals(current.getPasswordCredentialData().getAlgorithm())) {
            return Outcome.UNCHANGED; // migrated already (signed in since) or set in Keycloak: never back to bcrypt
        }
        if (current != null && hash.equals(current.getPasswordSecretData().getValue())) {
            return Outcome.UNCHANGED;
        }
        PasswordCredentialModel imported = PasswordCredentialModel.createFromValues("bcrypt", new byte[0],
                Integer.parseInt(bcrypt.group(1)), hash);
        if (current != null) {
            user.credentialManager().removeStoredCredentialById(current.getId());
        }
        user.credentialManager().createStoredCredential(imported);
        return current == null ? Outcome.CREATED : Outcome.UPDATED;
    }

    private String auth0Alias() {
        String alias = realm.getAttribute(AUTH0_ALIAS_ATTRIBUTE);
        return alias == null || alias.isBlank() ? "auth0" : alias;
    }

    private boolean link(UserModel user, String alias, String providerUserId, String email) {
        FederatedIdentityModel existing = session.users().getFederatedIdentity(realm, user, alias);
        if (existing != null) {
            if (!existing.getUserId().equals(providerUserId)) {
                throw new BadLine("the user is linked to another " + alias + " account");
            }
            return false;
        }
        UserModel holder = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, providerUserId, null));
        if (holder != null && !holder.getId().equals(user.getId())) {
            throw new BadLine("the " + alias + " account is linked to another user");
        }
        session.users().addFederatedIdentity(realm, user, new FederatedIdentityModel(alias, providerUserId, email));
        return true;
    }

    /** app_metadata.roles (existing realm roles only) and app_metadata.license: true (the licence role). */
    private Set<RoleModel> roles(JsonNode appMetadata) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode role : appMetadata.path("roles")) {
            names.add(role.asText());
        }
        if (appMetadata.path("license").asBoolean(false)) {
            String license = realm.getAttribute(LICENSE_ROLE_ATTRIBUTE);
            names.add(license == null || license.isBlank() ? "license" : license);
        }
        Set<RoleModel> roles = new LinkedHashSet<>();
        for (String name : names) {
            RoleModel role = realm.getRole(name);
            if (role == null) {
                throw new BadLine("app_metadata names the realm role '" + name + "', which the realm does not have");
            }
            roles.add(role);
        }
        return roles;
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

    private static <T> boolean set(T current, T wanted, java.util.function.Consumer<T> setter) {
        if (Objects.equals(current, wanted)) {
            return false;
        }
        setter.accept(wanted);
        return true;
    }
}
