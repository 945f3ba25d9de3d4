package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.PackRealmResource;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/**
 * The MFA routes on Keycloak's credentials: the OTP credential (TOTP, the realm's OTP policy) and the
 * recovery-codes credential as backup codes. This class only dispatches; each job has its class:
 *
 * <ul>
 *   <li>{@code GET|POST /mfa/setup}, {@code POST /mfa/enable}, {@code POST /mfa/disable} (signed in):
 *   {@link MfaSettings}, with the setup in progress in {@link PendingSetup} and the proof of identity before a
 *   change in {@link Reauthentication}.</li>
 *   <li>{@code GET|POST /mfa/verify}: the second step of a pending sign-in, {@link MfaVerification}.</li>
 * </ul>
 * Answers (JSON or page, errors, the sign-in redirect) come from {@link MfaAnswers}. docs/signin.md describes the routes.
 */
class MfaResource extends PackRealmResource {

    MfaResource(KeycloakSession session) {
        super(session);
    }

    @GET
    @Path("setup")
    public Response setup() {
        return new MfaSettings(session).show();
    }

    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restartSetup() {
        return new MfaSettings(session).restart();
    }

    @POST
    @Path("enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable() {
        return new MfaSettings(session).enable();
    }

    @POST
    @Path("disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable() {
        return new MfaSettings(session).disable();
    }

    @GET
    @Path("verify")
    public Response verifyPage(@QueryParam("tab_id") String tabId) {
        return new MfaVerification(session).page(tabId);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verify() {
        return new MfaVerification(session).verify();
    }
}
