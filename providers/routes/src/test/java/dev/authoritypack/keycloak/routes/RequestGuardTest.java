package dev.authoritypack.keycloak.routes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.authoritypack.keycloak.routes.RequestGuard.Accepts.FORM;
import static dev.authoritypack.keycloak.routes.RequestGuard.Accepts.FORM_OR_JSON;
import static dev.authoritypack.keycloak.routes.RequestGuard.Accepts.JSON;
import static dev.authoritypack.keycloak.routes.RequestGuard.Accepts.NOTHING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RequestGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded;charset=UTF-8",
            "application/x-www-form-urlencoded ; charset=\"utf-8\"", "application/x-www-form-urlencoded;charset=ISO-8859-1;x=y"})
    void validFormTypesPass(String type) {
        assertNull(RequestGuard.contentType(type, FORM, true));
        assertNull(RequestGuard.contentType(type, FORM_OR_JSON, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "/", "application/", ";;;", "application/json; =;;", "\u00ff\u00fe", "a/b c",
            "application/x-www-form-urlencoded; charset=", "text/plain;", "text/plain; a", "text/plain; a=\"open"})
    void malformedTypesAre400(String type) {
        assertEquals(400, RequestGuard.contentType(type, FORM, true).status());
        assertEquals(400, RequestGuard.contentType(type, NOTHING, true).status());
    }

    @Test
    void unsupportedTypesAre400AndCharsets415() {
        assertEquals(400, RequestGuard.contentType("application/json", FORM, true).status());
        assertEquals(400, RequestGuard.contentType("multipart/form-data; boundary=x", FORM_OR_JSON, true).status());
        assertEquals(400, RequestGuard.contentType("application/x-www-form-urlencoded", JSON, true).status());
        assertEquals(415, RequestGuard.contentType("application/x-www-form-urlencoded; charset=klingon", FORM, true).status());
        assertNull(RequestGuard.contentType("application/jwt+json", FORM_OR_JSON, true));
        assertNull(RequestGuard.contentType("text/plain", NOTHING, true));
        assertNull(RequestGuard.contentType("text/plain", FORM, false), "a GET's content type is not read");
        assertNull(RequestGuard.contentType(null, JSON, true));
    }

    @Test
    void nativePaths() {
        assertEquals(FORM, RequestGuard.acceptsNative("/realms/r/protocol/openid-connect/token"));
        assertEquals(FORM, RequestGuard.acceptsNative("/realms/r/device"));
        assertEquals(JSON, RequestGuard.acceptsNative("/realms/r/clients-registrations/openid-connect"));
        assertEquals(NOTHING, RequestGuard.acceptsNative("/realms/r/protocol/openid-connect/certs"));
        assertNull(RequestGuard.acceptsNative("/admin/realms/r/users"));
        assertNull(RequestGuard.acceptsNative("/realms/r/login-actions/authenticate"));
    }
}
