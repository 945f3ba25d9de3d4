package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.UriInfo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;

import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.common.ClientConnection;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.keys.loader.PublicKeyStorageManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * The calls into Keycloak whose form differs between the Keycloak lines the pack supports (26.4 to 26.7,
 * docs/upgrading.md "Keycloak lines"). The pack's jars are compiled against the newest line and installed unchanged
 * into every one, so a method one line lacks would be a {@code NoSuchMethodError} there: each call here uses a form
 * every supported line has, or picks the running line's form once. compat-check/pom.xml compiles the pack against
 * the oldest line, and its ShippedClassesLinkTest reads the compiled jars' references against that line's jars: either
 * fails the build when a call elsewhere needs a seam here.
 */
public final class KeycloakLines {

    /**
     * {@link BruteForceProtector}'s {@code failedLogin}: 26.4 counts every failure alike (realm, user, connection,
     * URI); 26.5 added the credential's categories as a fifth argument and dropped the four-argument form. Looked up
     * when first used (a holder class), so a Keycloak without either form fails only this call.
     */
    private static final class FailedLogin {
        static final Method METHOD = failedLoginMethod();
    }

    /**
     * {@link PublicKeyStorageManager}'s {@code getIdentityProviderKeyWrapper(session, realm, config, jws)}: its third
     * parameter is {@code OIDCIdentityProviderConfig} up to 26.4 and the interface {@code JWTAuthorizationGrantConfig}
     * (which that class implements) from 26.5. The source compiles against both; the bytes compiled against one do
     * not link on the other, so the method is found by what it accepts, when first used.
     */
    private static final class IdentityProviderKey {
        static final Method METHOD = identityProviderKeyMethod();
    }

    private KeycloakLines() {
    }

    /** The key of an OpenID Connect identity provider for a signed token's {@code kid} and {@code alg} (Keycloak's key cache). */
    public static KeyWrapper identityProviderKey(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig idp, JWSInput jws) {
        return (KeyWrapper) invoke(IdentityProviderKey.METHOD, null, session, realm, idp, jws);
    }

    /**
     * The signed-in user of an {@code AuthResult}. {@code getUser()} is on every line (a class up to 26.4, a record
     * with {@code user()} from 26.5 that keeps {@code getUser()}, deprecated).
     */
    @SuppressWarnings({"deprecation", "removal"})
    public static UserModel user(AuthenticationManager.AuthResult auth) {
        return auth.getUser();
    }

    /** The user session of an {@code AuthResult}; {@code getSession()} as {@link #user}. */
    @SuppressWarnings({"deprecation", "removal"})
    public static UserSessionModel session(AuthenticationManager.AuthResult auth) {
        return auth.getSession();
    }

    /** Counts a failed attempt with Keycloak's brute-force protection; {@code category} is used where the line has categories. */
    public static void failedLogin(BruteForceProtector protector, RealmModel realm, UserModel user,
                                   ClientConnection connection, UriInfo uri, String category) {
        Method failedLogin = FailedLogin.METHOD;
        Object[] arguments = failedLogin.getParameterCount() == 5
                ? new Object[] {realm, user, connection, uri, Set.of(category)}
                : new Object[] {realm, user, connection, uri};
        invoke(failedLogin, protector, arguments);
    }

    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method identityProviderKeyMethod() {
        for (Method m : PublicKeyStorageManager.class.getMethods()) {
            Class<?>[] p = m.getParameterTypes();
            if (m.getName().equals("getIdentityProviderKeyWrapper") && Modifier.isStatic(m.getModifiers()) && p.length == 4
                    && p[0] == KeycloakSession.class && p[1] == RealmModel.class
                    && p[2].isAssignableFrom(OIDCIdentityProviderConfig.class) && p[3] == JWSInput.class) {
                return m;
            }
        }
        throw new IllegalStateException("this Keycloak's PublicKeyStorageManager has no getIdentityProviderKeyWrapper the pack knows");
    }

    private static Method failedLoginMethod() {
        try {
            return BruteForceProtector.class.getMethod("failedLogin", RealmModel.class, UserModel.class,
                    ClientConnection.class, UriInfo.class, Set.class);
        } catch (NoSuchMethodException newerFormMissing) {
            try {
                return BruteForceProtector.class.getMethod("failedLogin", RealmModel.class, UserModel.class,
                        ClientConnection.class, UriInfo.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("this Keycloak's BruteForceProtector has no failedLogin the pack knows", e);
            }
        }
    }
}
