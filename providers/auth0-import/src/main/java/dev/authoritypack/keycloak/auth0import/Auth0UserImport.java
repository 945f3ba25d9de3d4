package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.keycloak.auth0import.Auth0Line.BadLine;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import org.keycloak.userprofile.validator.PersonNameProhibitedCharactersValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.Validator;
import org.keycloak.validate.ValidatorConfig;
import org.keycloak.validate.Validators;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;

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

    static final String AUTH0_ALIAS_ATTRIBUTE = "authority.legacy-login.identity-provider";
    static final String LICENSE_ROLE_ATTRIBUTE = "authority.legacy-login.license-role";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final IntConsumer bcryptKept;

    /** {@code bcryptKept} hears the cost of each bcrypt hash a password-hash line leaves in place. */
    Auth0UserImport(KeycloakSession session, RealmModel realm, IntConsumer bcryptKept) {
        this.session = session;
        this.realm = realm;
        this.bcryptKept = bcryptKept;
    }

    Outcome user(JsonNode json) {
        Auth0Line.User line = Auth0Line.user(json);
        String userId = line.userId();
        String email = line.email();
        String auth0 = auth0Alias();
        UserModel user = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(auth0, userId, email));
        if (user == null) {
            user = session.users().getUserByEmail(realm, email);
            FederatedIdentityModel other = user == null ? null : session.users().getFederatedIdentity(realm, user, auth0);
            if (other != null && !other.getUserId().equals(userId)) {
                throw new BadLine("the email belongs to another Auth0 user already imported");
            }
        }
        personName("given_name", line.givenName());
        personName("family_name", line.familyName());
        boolean created = user == null;
        if (created) {
            // a user whose username is this address but whose email is not fails here (the store refuses the
            // duplicate username and the line is reported)
            user = session.users().addUser(realm, email);
            user.setEnabled(true);
            Long createdAt = line.createdAtMillis();
            if (createdAt != null) {
                user.setCreatedTimestamp(createdAt);
            }
        }
        boolean changed = false;
        changed |= set(user.getEmail(), email, user::setEmail);
        changed |= set(user.isEmailVerified(), line.emailVerified(), user::setEmailVerified);
        changed |= set(user.isEnabled(), !line.blocked(), user::setEnabled);
        if (line.givenName() != null) {
            changed |= set(user.getFirstName(), line.givenName(), user::setFirstName);
        }
        if (line.familyName() != null) {
            changed |= set(user.getLastName(), line.familyName(), user::setLastName);
        }
        if (created) {
            // nobody holds this Auth0 user_id (looked up above) and a new user has no links
            session.users().addFederatedIdentity(realm, user, new FederatedIdentityModel(auth0, userId, email));
        } else {
            changed |= link(user, auth0, userId, email);
        }
        for (Map.Entry<String, String> identity : line.socialIdentities().entrySet()) {
            if (session.identityProviders().getByAlias(identity.getKey()) != null) {
                changed |= link(user, identity.getKey(), identity.getValue(), email);
            }
        }
        for (RoleModel role : roles(line)) {
            if (!user.hasDirectRole(role)) {
                user.grantRole(role);
                changed = true;
            }
        }
        return created ? Outcome.CREATED : changed ? Outcome.UPDATED : Outcome.UNCHANGED;
    }

    /**
     * A name Keycloak's user profile would refuse (its {@code person-name-prohibited-characters} validator, which
     * the admin API applies to first and last names) refuses the line: stored anyway, it made Keycloak ask the user
     * to fix the profile at every sign-in (review of issue 24, F7).
     */
    private void personName(String field, String value) {
        if (value == null) {
            return;
        }
        Validator names = Validators.validator(session, PersonNameProhibitedCharactersValidator.ID);
        if (names != null && !names.validate(value, field, new ValidationContext(session), ValidatorConfig.EMPTY).isValid()) {
            throw new BadLine(field + " has characters Keycloak's user profile refuses in a name");
        }
    }

    Outcome passwordHash(JsonNode json) {
        Auth0Line.PasswordHash line = Auth0Line.passwordHash(json);
        String oid = line.oid();
        String email = line.email();
        String hash = line.hash();
        UserModel user = oid.isEmpty() ? null
                : session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(auth0Alias(), "auth0|" + oid, null));
        if (user == null && email != null) {
            user = session.users().getUserByEmail(realm, email);
        }
        if (user == null) {
            throw new BadLine("no imported user with this _id or email (import the users first)");
        }
        PasswordCredentialModel current = user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(PasswordCredentialModel::createFromCredentialModel).findFirst().orElse(null);
        if (current != null && !"bcrypt".equals(current.getPasswordCredentialData().getAlgorithm())) {
            return Outcome.UNCHANGED; // migrated already (signed in since) or set in Keycloak: never back to bcrypt
        }
        bcryptKept.accept(line.cost());
        if (current != null && hash.equals(current.getPasswordSecretData().getValue())) {
            return Outcome.UNCHANGED;
        }
        PasswordCredentialModel imported = PasswordCredentialModel.createFromValues("bcrypt", new byte[0], line.cost(), hash);
        if (current != null) {
            user.credentialManager().removeStoredCredentialById(current.getId());
        }
        user.credentialManager().createStoredCredential(imported);
        return current == null ? Outcome.CREATED : Outcome.UPDATED;
    }

    private String auth0Alias() {
        return Auth0Line.auth0Alias(realm.getAttribute(AUTH0_ALIAS_ATTRIBUTE));
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
    private Set<RoleModel> roles(Auth0Line.User line) {
        Set<RoleModel> roles = new LinkedHashSet<>();
        for (String name : line.roleNames(Auth0Line.licenseRole(realm.getAttribute(LICENSE_ROLE_ATTRIBUTE)))) {
            RoleModel role = realm.getRole(name);
            if (role == null) {
                throw new BadLine("app_metadata names the realm role '" + name + "', which the realm does not have");
            }
            roles.add(role);
        }
        return roles;
    }

    private static <T> boolean set(T current, T wanted, java.util.function.Consumer<T> setter) {
        if (Objects.equals(current, wanted)) {
            return false;
        }
        setter.accept(wanted);
        return true;
    }
}
