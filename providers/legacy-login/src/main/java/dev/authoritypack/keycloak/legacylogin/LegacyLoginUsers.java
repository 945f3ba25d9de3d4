package dev.authoritypack.keycloak.legacylogin;

import org.keycloak.events.Errors;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * The user {@code /api/login} logs in, and whether it may: a machine token may log in any user of the realm, a user
 * token only its own account, and is told nothing about any other email (the same 401 whether or not an account
 * exists; the legacy API's (docs/legacy-login.md) 400s are for the trusted, allow-listed machine tokens). Then the user must be enabled and not
 * locked out by Keycloak's brute-force protection, hold no administrative role (unless the realm allows it), hold
 * the licence role and have a complete profile.
 */
final class LegacyLoginUsers {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LegacyLoginSettings settings;
    private final LegacyLoginAnswers answers;

    LegacyLoginUsers(KeycloakSession session, RealmModel realm, LegacyLoginSettings settings, LegacyLoginAnswers answers) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.answers = answers;
    }

    /** The account of the request's email that {@code caller} may log in; the user goes into the event. */
    UserModel find(Auth0Caller caller, LegacyLoginRequest request) throws LegacyLoginAnswers.Refused {
        UserModel user = session.users().getUserByEmail(realm, request.email());
        if (!caller.machine() && !ownAccount(caller, user, request.email())) {
            throw answers.unauthorized("token may not log in this user", request.redirectUrl());
        }
        if (user == null) {
            throw answers.fail(Errors.USER_NOT_FOUND, 400, "Username invalid");
        }
        answers.event().user(user);
        return user;
    }

    /** Refuses a user who may not be logged in: disabled or locked (403), administrator (403), no licence or profile (400). */
    void checkLoginAllowed(UserModel user) throws LegacyLoginAnswers.Refused {
        if (!user.isEnabled() || locked(user)) {
            throw answers.fail(Errors.USER_DISABLED, 403, "User is disabled or locked");
        }
        if (!settings.allowAdministrators() && AdministrativeRoles.held(session, realm, user)) {
            // a token minted without the second factor must not carry an administrator's identity
            throw answers.fail("administrator", 403, "Administrators cannot be logged in through /api/login");
        }
        RoleModel license = realm.getRole(settings.licenseRole());
        if (license == null || !user.hasRole(license)) {
            throw answers.fail("no_license", 400, "User doesn't have any license");
        }
        if (!profileComplete(user)) {
            throw answers.fail("no_profile", 400, "User doesn't have a profile");
        }
    }

    /**
     * Whether a user token belongs to the account of {@code email}: its verified {@code email} claim
     * ({@link Auth0Caller#verifiedEmail}), or the Keycloak user linked to the token's {@code sub} through the
     * identity provider.
     */
    private boolean ownAccount(Auth0Caller caller, UserModel user, String email) {
        if (caller.verifiedEmail(email)) {
            return true;
        }
        if (user == null || caller.subject() == null) {
            return false;
        }
        FederatedIdentityModel link = session.users().getFederatedIdentity(realm, user, settings.identityProvider());
        return link != null && caller.subject().equals(link.getUserId());
    }

    private boolean locked(UserModel user) {
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return realm.isBruteForceProtected() && protector.isTemporarilyDisabled(session, realm, user);
    }

    /**
     * The realm's declarative user profile has no missing or invalid attribute for this user: the attributes
     * {@code UserProfile.validate()} checks, but username and email, since the account was just found by that email
     * and their validators' uniqueness checks are database queries (profiled: a sixth of this route's time).
     */
    private boolean profileComplete(UserModel user) {
        Attributes attributes = session.getProvider(UserProfileProvider.class).create(UserProfileContext.UPDATE_PROFILE, user).getAttributes();
        return attributes.nameSet().stream()
                .filter(name -> !UserModel.USERNAME.equals(name) && !UserModel.EMAIL.equals(name))
                .allMatch(name -> attributes.validate(name));
    }
}
