package dev.authoritypack.keycloak.signin;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Content negotiation of seed 001's pages: JSON when the request prefers it over HTML. */
public final class SigninResponses {

    private SigninResponses() {
    }

    public static boolean prefersJson(HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        for (MediaType type : accepted) { // sorted by preference (q) by JAX-RS
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }
}
