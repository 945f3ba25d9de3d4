package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.Answers;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

import java.io.IOException;

/**
 * A registration request (RFC 7591, {@code /register} and Keycloak's {@code clients-registrations/openid-connect})
 * whose body is JSON {@code null} reaches Keycloak's {@code OIDCClientRegistrationProvider} as a null
 * representation, which it answers with a 500 (a NullPointerException). RFC 7591 §3.2.2 calls it invalid client
 * metadata. A JAX-RS reader interceptor sees the body once it is read, before the endpoint: the only place where
 * the request is read anyway (DocumentedRouteRerouter never reads bodies). Every other body passes unchanged.
 * MalformedInputIT fails if a Keycloak upgrade stops this interceptor from being applied.
 */
@Provider
public class RegistrationBodyCheck implements ReaderInterceptor {

    public static final String DESCRIPTION = "The request body must be a JSON object of client metadata (RFC 7591)";

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        Object body = context.proceed();
        if (body == null && context.getType() == OIDCClientRepresentation.class) {
            throw new WebApplicationException(Answers.error(400, "invalid_client_metadata", DESCRIPTION).build());
        }
        return body;
    }
}
