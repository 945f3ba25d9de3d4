package dev.authoritypack.keycloak.ratelimits;

import dev.authoritypack.keycloak.routes.DocumentedRoute;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

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
    void ipv6CountsByItsSlash64() {
        assertEquals("127.0.0.1", RequestClassifier.clientAddress(SocketAddress.inetSocketAddress(1, "127.0.0.1")));
        String a = RequestClassifier.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:2:aaaa::1"));
        String b = RequestClassifier.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:2:bbbb::9"));
        String other = RequestClassifier.clientAddress(SocketAddress.inetSocketAddress(1, "2001:db8:1:3::1"));
        assertEquals(a, b);
        assertTrue(!a.equals(other), a + " vs " + other);
        assertEquals("unknown", RequestClassifier.clientAddress(null));
    }

    @Test
    void eachRouteCountsInItsBucket() {
        assertSame(RateLimitBucket.TOKEN, RequestClassifier.bucket(DocumentedRoute.OAUTH_TOKEN, true, false));
        assertSame(RateLimitBucket.TOKEN, RequestClassifier.bucket(DocumentedRoute.DEVICE_TOKEN, true, false));
        assertSame(RateLimitBucket.SIGNIN, RequestClassifier.bucket(DocumentedRoute.SIGNIN, true, false));
        assertSame(RateLimitBucket.OTHER, RequestClassifier.bucket(DocumentedRoute.SIGNIN, false, false));
        assertSame(RateLimitBucket.ACTIVATE, RequestClassifier.bucket(DocumentedRoute.ACTIVATE, false, true));
        assertSame(RateLimitBucket.OTHER, RequestClassifier.bucket(DocumentedRoute.ACTIVATE, false, false));
        assertSame(RateLimitBucket.ACCOUNT, RequestClassifier.bucket(DocumentedRoute.ACCOUNT_EMAIL_RESEND, true, false));
        assertSame(RateLimitBucket.API_LOGIN, RequestClassifier.bucket(DocumentedRoute.API_LOGIN, true, false));
        assertSame(RateLimitBucket.OTHER, RequestClassifier.bucket(DocumentedRoute.JWKS, false, false));
    }

    @Test
    void keycloaksOwnPathsShareTheirRoutesCounters() {
        assertSame(RateLimitBucket.TOKEN, RequestClassifier.bucket(
                RequestClassifier.nativeEndpoint("/realms/r/protocol/openid-connect/token").orElseThrow().route(), true, false));
        assertSame(RateLimitBucket.INTROSPECT, RequestClassifier.bucket(
                RequestClassifier.nativeEndpoint("/realms/r/protocol/openid-connect/token/introspect/").orElseThrow().route(), true, false));
        assertEquals("r", RequestClassifier.nativeEndpoint("/realms/r/device").orElseThrow().realm());
        assertTrue(RequestClassifier.nativeEndpoint("/realms/r/account").isEmpty());
        assertTrue(RequestClassifier.nativeEndpoint("/admin/realms/r").isEmpty());
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
}
