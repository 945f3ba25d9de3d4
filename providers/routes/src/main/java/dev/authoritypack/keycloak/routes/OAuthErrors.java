package dev.authoritypack.keycloak.routes;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** OAuth 2.0 error objects (RFC 6749 §5.2) for answers the pack gives itself. */
public final class OAuthErrors {

    private OAuthErrors() {
    }

    public static Response badRequest(String error, String description) {
        return error(Response.Status.BAD_REQUEST, error, description);
    }

    public static Response error(Response.StatusType status, String error, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore).entity(body).build();
    }
}
