package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.Answers;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.error.KeycloakErrorHandler;

/**
 * A form body that RESTEasy cannot decode (broken {@code %}-escapes, more than its 1,000 fields) is the client's
 * mistake: {@code 400 invalid_request}. Keycloak's {@link KeycloakErrorHandler} (an {@code ExceptionMapper} of
 * {@code Throwable}) answers every such exception with a 500; this mapper of the narrower {@code RuntimeException}
 * is chosen first by JAX-RS, answers the exceptions thrown while RESTEasy's form handler parses the body, and hands
 * every other exception to Keycloak's handler unchanged. MalformedInputIT fails if a Keycloak upgrade moves the
 * parsing elsewhere.
 */
@Provider
public class MalformedFormAnswers implements ExceptionMapper<RuntimeException> {

    /** Injected as into Keycloak's own handler. */
    @Context
    KeycloakSession session;

    /** RESTEasy Reactive's form parsing: its body handler and the form-data parser it drives. */
    private static final String[] FORM_PARSING = {
            "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler",
            "org.jboss.resteasy.reactive.server.core.multipart.FormEncodedDataDefinition"};

    @Override
    public Response toResponse(RuntimeException exception) {
        if (thrownParsingAForm(exception)) {
            return Answers.error(400, "invalid_request", "The form body cannot be decoded (malformed %-escapes or too many fields)").build();
        }
        return KeycloakErrorHandler.getResponse(session, exception);
    }

    private static boolean thrownParsingAForm(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            for (String parser : FORM_PARSING) {
                if (frame.getClassName().startsWith(parser)) {
                    return true;
                }
            }
        }
        return false;
    }
}
