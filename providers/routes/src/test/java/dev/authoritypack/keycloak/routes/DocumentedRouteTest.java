package dev.authoritypack.keycloak.routes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentedRouteTest {

    @Test
    void hostRootPathsGoToTheDefaultRealm() {
        DocumentedRoute.Match m = DocumentedRoute.match("/health_check", "authority").orElseThrow();
        assertEquals("authority", m.realm());
        assertEquals("/realms/authority/health-check", m.targetPath());
    }

    @Test
    void issuerPathsGoToTheirOwnRealm() {
        DocumentedRoute.Match m = DocumentedRoute.match("/realms/other/health_check", "authority").orElseThrow();
        assertEquals("other", m.realm());
        assertEquals("/realms/other/health-check", m.targetPath());
    }

    @Test
    void trailingSlashIsTolerated() {
        assertTrue(DocumentedRoute.match("/health_check/", "authority").isPresent());
    }

    @Test
    void hostRootRoutesCanBeSwitchedOff() {
        assertFalse(DocumentedRoute.match("/health_check", null).isPresent());
        assertTrue(DocumentedRoute.match("/realms/authority/health_check", null).isPresent());
    }

    @Test
    void otherPathsAreLeftToKeycloak() {
        assertFalse(DocumentedRoute.match("/realms/authority", "authority").isPresent());
        assertFalse(DocumentedRoute.match("/realms/authority/protocol/openid-connect/token", "authority").isPresent());
        for (DocumentedRoute r : DocumentedRoute.values()) {
            // a target must never be a documented path itself, or re-routing would loop
            assertFalse(DocumentedRoute.match("/realms/authority/" + r.target(), "authority")
                    .filter(m -> m.route() != r).isPresent(), r.name());
        }
        assertFalse(DocumentedRoute.match("/health_check_x", "authority").isPresent());
        assertFalse(DocumentedRoute.match("/admin/master/console/", "authority").isPresent());
    }

    @Test
    void methods() {
        assertTrue(DocumentedRoute.HEALTH_CHECK.allows("GET"));
        assertTrue(DocumentedRoute.HEALTH_CHECK.allows("HEAD"));
        assertTrue(DocumentedRoute.HEALTH_CHECK.allows("OPTIONS"));
        assertFalse(DocumentedRoute.HEALTH_CHECK.allows("DELETE"));
    }

    @Test
    void settingsDefaults() {
        RouteSettings s = RouteSettings.from(null);
        assertEquals("authority", s.defaultRealm());
        assertTrue(s.rootRoutes());
        assertEquals("authority", s.hostRootRealm());
    }

    /** docs/routes.md shows the route table; it must be the one the code uses. */
    @Test
    void theRoutesDocumentShowsTheRouteTable() throws IOException {
        String readme = Files.readString(Path.of("../../docs/routes.md"));
        int begin = readme.indexOf("<!-- routes:begin -->");
        int end = readme.indexOf("<!-- routes:end -->");
        assertTrue(begin >= 0 && end > begin, "docs/routes.md lacks the <!-- routes:begin --> ... <!-- routes:end --> markers");
        String shown = readme.substring(begin + "<!-- routes:begin -->".length(), end).strip();
        assertEquals(DocumentedRoute.markdownTable().strip(), shown,
                "docs/routes.md's route table differs from DocumentedRoute; paste DocumentedRoute.markdownTable() between the markers");
    }

    @org.junit.jupiter.api.Test
    void knowsWhichPathsAuthenticateClients() {
        org.junit.jupiter.api.Assertions.assertEquals("r", DocumentedRoute.clientAuthenticationRealm("/realms/r/protocol/openid-connect/token"));
        org.junit.jupiter.api.Assertions.assertEquals("r", DocumentedRoute.clientAuthenticationRealm("/realms/r/protocol/openid-connect/token/introspect"));
        org.junit.jupiter.api.Assertions.assertEquals("r", DocumentedRoute.clientAuthenticationRealm("/realms/r/protocol/openid-connect/auth/device"));
        org.junit.jupiter.api.Assertions.assertNull(DocumentedRoute.clientAuthenticationRealm("/realms/r/protocol/openid-connect/auth"));
        org.junit.jupiter.api.Assertions.assertNull(DocumentedRoute.clientAuthenticationRealm("/realms/r/protocol/openid-connect/userinfo"));
        org.junit.jupiter.api.Assertions.assertNull(DocumentedRoute.clientAuthenticationRealm("/token"));
        org.junit.jupiter.api.Assertions.assertTrue(DocumentedRoute.OAUTH_TOKEN.authenticatesClients());
        org.junit.jupiter.api.Assertions.assertFalse(DocumentedRoute.USERINFO.authenticatesClients());
    }
}
