package dev.authoritypack.keycloak.ratelimits;

import dev.authoritypack.keycloak.routes.DocumentedRoute;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitRulesTest {

    @Test
    void limitsAreReadAsRequestsPerSeconds() {
        assertEquals(new RateLimit(600, 60), RateLimit.parse(" 600 / 60 "));
        assertTrue(RateLimit.parse("off").off());
        assertTrue(RateLimit.parse("0").off());
        for (String bad : new String[]{"", "600", "600/0", "-1/60", "a/60", "600/b", "1/2/3", "600/60s"}) {
            assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(bad), bad);
        }
    }

    @Test
    void basicClientIdIsDecodedAndMalformedHeadersCountByAddress() {
        assertEquals("my client", RateLimitFilter.basicClientId(basic("my+client:secret")));
        assertEquals("a:b", RateLimitFilter.basicClientId(basic("a%3Ab:secret")));
        assertEquals("c", RateLimitFilter.basicClientId("basic " + Base64.getEncoder().encodeToString("c:".getBytes(StandardCharsets.UTF_8))));
        assertNull(RateLimitFilter.basicClientId(null));
        assertNull(RateLimitFilter.basicClientId("Bearer abc"));
        assertNull(RateLimitFilter.basicClientId("Basic !!!"));
        assertNull(RateLimitFilter.basicClientId(basic("no-colon")));
        assertNull(RateLimitFilter.basicClientId(basic(":secret")));
        assertNull(RateLimitFilter.basicClientId(basic("%zz:secret")));
        assertNull(RateLimitFilter.basicClientId(basic("x".repeat(256) + ":s")));
    }

    @Test
    void ipv6CountsByItsSlash64() {
        assertEquals("127.0.0.1", RateLimitFilter.clientAddress(SocketAddress.inetSocketAddress(1, "127.0.0.1")));
        String a = RateLimitFilter.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:2:aaaa::1"));
        String b = RateLimitFilter.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:2:bbbb::9"));
        String other = RateLimitFilter.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:3::1"));
        assertEquals(a, b);
        assertTrue(!a.equals(other), a + " vs " + other);
        assertEquals("unknown", RateLimitFilter.clientAddress(null));
    }

    @Test
    void eachRouteCountsInItsBucket() {
        assertSame(RateLimitBucket.TOKEN, RateLimitFilter.bucket(DocumentedRoute.OAUTH_TOKEN, true, false));
        assertSame(RateLimitBucket.TOKEN, RateLimitFilter.bucket(DocumentedRoute.DEVICE_TOKEN, true, false));
        assertSame(RateLimitBucket.SIGNIN, RateLimitFilter.bucket(DocumentedRoute.SIGNIN, true, false));
        assertSame(RateLimitBucket.OTHER, RateLimitFilter.bucket(DocumentedRoute.SIGNIN, false, false));
        assertSame(RateLimitBucket.ACTIVATE, RateLimitFilter.bucket(DocumentedRoute.ACTIVATE, false, true));
        assertSame(RateLimitBucket.OTHER, RateLimitFilter.bucket(DocumentedRoute.ACTIVATE, false, false));
        assertSame(RateLimitBucket.ACCOUNT, RateLimitFilter.bucket(DocumentedRoute.ACCOUNT_EMAIL_RESEND, true, false));
        assertSame(RateLimitBucket.API_LOGIN, RateLimitFilter.bucket(DocumentedRoute.API_LOGIN, true, false));
        assertSame(RateLimitBucket.OTHER, RateLimitFilter.bucket(DocumentedRoute.JWKS, false, false));
    }

    @Test
    void keycloaksOwnPathsShareTheirRoutesCounters() {
        assertSame(RateLimitBucket.TOKEN, RateLimitFilter.bucket(
                RateLimitFilter.nativeEndpoint("/realms/r/protocol/openid-connect/token").orElseThrow().route(), true, false));
        assertSame(RateLimitBucket.INTROSPECT, RateLimitFilter.bucket(
                RateLimitFilter.nativeEndpoint("/realms/r/protocol/openid-connect/token/introspect/").orElseThrow().route(), true, false));
        assertEquals("r", RateLimitFilter.nativeEndpoint("/realms/r/device").orElseThrow().realm());
        assertTrue(RateLimitFilter.nativeEndpoint("/realms/r/account").isEmpty());
        assertTrue(RateLimitFilter.nativeEndpoint("/admin/realms/r").isEmpty());
    }

    @Test
    void theTighterDecisionIsShown() {
        RateLimitDecision wide = new RateLimitDecision(RateLimitBucket.SIGNIN, "a", 60, 1, 100);
        RateLimitDecision narrow = new RateLimitDecision(RateLimitBucket.SIGNIN_ACCOUNT, "b", 20, 19, 300);
        RateLimitDecision refused = new RateLimitDecision(RateLimitBucket.SIGNIN, "c", 60, 61, 100);
        assertSame(narrow, RateLimitDecision.tighter(wide, narrow));
        assertSame(refused, RateLimitDecision.tighter(narrow, refused));
        assertSame(wide, RateLimitDecision.tighter(null, wide));
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.retryAfterSeconds(100));
        assertEquals(40, refused.retryAfterSeconds(60));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
