package dev.authoritypack.keycloak.routes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthorizeErrorsTest {

    @Test
    void anErrorInTheQueryGetsADescriptionBeforeTheFragment() {
        assertEquals("https://app.example/cb?error=login_required&state=s1&error_description=The%20user%20must%20sign%20in%20%28prompt%3Dnone%20was%20requested%29",
                AuthorizeErrors.withDescription("https://app.example/cb?error=login_required&state=s1"));
        String withFragment = AuthorizeErrors.withDescription("https://app.example/cb?error=access_denied&state=s#top");
        assertTrue(withFragment.matches("https://app\\.example/cb\\?error=access_denied&state=s&error_description=[^#]+#top"), withFragment);
    }

    @Test
    void anErrorInTheFragmentGetsItThere() {
        String r = AuthorizeErrors.withDescription("https://app.example/cb#error=unsupported_response_type&state=x");
        assertTrue(r.startsWith("https://app.example/cb#error=unsupported_response_type&state=x&error_description="), r);
    }

    @Test
    void anUnknownErrorGetsTheGeneralDescription() {
        assertTrue(AuthorizeErrors.withDescription("https://a.example/?error=something_new")
                .endsWith("&error_description=The%20authorization%20request%20failed"));
    }

    @Test
    void everythingElseIsLeftAsItIs() {
        for (String location : new String[]{"https://app.example/cb?code=abc&state=s", "https://app.example/cb?error=x&error_description=given",
                "https://app.example/cb#error=x&error_description=y", "/realms/authority/login-actions/authenticate?execution=e",
                "https://app.example/cb?response=eyJ.jwt.sig", "https://app.example/cb", "https://app.example/cb?terror=x"}) {
            assertEquals(location, AuthorizeErrors.withDescription(location));
        }
        assertNull(AuthorizeErrors.withDescription(null));
    }
}
