package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.VertxRequest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.grants.device.endpoints.DeviceEndpoint;
import org.keycloak.representations.OAuth2DeviceAuthorizationResponse;
import org.keycloak.urls.UrlType;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.net.URI;

/**
 * The device flow's {@code verification_uri} (RFC 8628 §3.2) on the documented {@code /device/code}: the documented
 * {@code /activate} at the base the device was talking to, the host root ({@code https://auth.example.com/activate})
 * or the realm's issuer ({@code …/realms/{realm}/activate}), on the host Keycloak names itself with. Builds on
 * Keycloak's {@link DeviceEndpoint}, which does all the work and publishes its realm attribute
 * {@code shortVerificationUri} or, without one, its own {@code /realms/{realm}/device}; this only replaces the address
 * in its answer when that attribute is empty. The host comes from Keycloak's hostname v2 provider through
 * {@code KeycloakContext#getUri(FRONTEND)}, as the issuer does: {@code KC_HOSTNAME} (or the realm's Frontend URL)
 * when set, else the request (its forwarded headers only with {@code --proxy-headers} from a trusted proxy). So a
 * restart with another host name changes the address; nothing is fixed at the realm's import.
 *
 * <p>The attribute stays the operator's explicit override (docs/configuration.md: {@code AUTHORITY_VERIFICATION_URI}
 * at import, or the realm attribute later): when set, Keycloak's answer is passed on unchanged.
 */
final class VerificationUri {

    private VerificationUri() {
    }

    /** Keycloak's answer with the verification addresses at the request's base, unless the realm fixes them. */
    static Response publish(KeycloakSession session, Response answer) {
        RealmModel realm = session.getContext().getRealm();
        String fixed = realm.getAttribute(DeviceEndpoint.SHORT_VERIFICATION_URI);
        if ((fixed != null && !fixed.isBlank()) || answer.getStatus() != 200 || !(answer.getEntity() instanceof byte[] body)) {
            return answer;
        }
        URI base = session.getContext().getUri(UrlType.FRONTEND).getBaseUri();
        String address = address(base, realm.getName(), Boolean.TRUE.equals(VertxRequest.get(VertxRequest.HOST_ROOT)));
        try {
            OAuth2DeviceAuthorizationResponse device = JsonSerialization.readValue(body, OAuth2DeviceAuthorizationResponse.class);
            device.setVerificationUri(address);
            // as Keycloak writes it (DeviceEndpoint#handleDeviceRequest): the user code is letters and a dash
            device.setVerificationUriComplete(address + "?user_code=" + device.getUserCode());
            return Response.fromResponse(answer).entity(JsonSerialization.writeValueAsBytes(device)).build();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak's device authorization answer is not its JSON", e);
        }
    }

    /** {@code /activate} at the host root or under the realm's issuer, on Keycloak's base URI. */
    static String address(URI base, String realm, boolean hostRoot) {
        UriBuilder b = UriBuilder.fromUri(base);
        if (!hostRoot) {
            b.path("realms").path(realm);
        }
        return b.path("activate").build().toString();
    }
}
