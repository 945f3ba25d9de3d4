package dev.authoritypack.keycloak.signin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.RealmModel;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardUrlTest {

    private static final RealmModel NO_LIST = realm(null);
    private static final RealmModel LISTED = realm(" https://app.example.com  https://other.example.com/only/ ");

    @Test
    void aPathOfThisServerIsFollowedInEitherAlphabet() {
        String path = "/realms/x/account?tab=~~~";
        String standard = Base64.getEncoder().encodeToString(bytes(path));
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(path));
        assertTrue(standard.contains("+") && url.contains("-"), "the two alphabets differ for this path");
        assertEquals(Optional.of(path), ForwardUrl.allowed(NO_LIST, standard));
        assertEquals(Optional.of(path), ForwardUrl.allowed(NO_LIST, url));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(Optional.of("/x"), ForwardUrl.allowed(NO_LIST, "  " + encode(" /x ") + "\n"));
    }

    @Test
    void theTargetIsGivenInItsAsciiForm() {
        assertEquals(Optional.of("/caf%C3%A9"), ForwardUrl.allowed(NO_LIST, encode("/café")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example/x", "/\\evil.example", "/a\\b", "https://evil.example/", "http://localhost:8080/x",
            "javascript:alert(1)", "data:text/html,x", "evil.example", "relative/path", "/a b", "/a\u0001b", "/x\u007f",
            "/x\ny", "https://app.example.com/"})
    void withoutAnAllowListOnlyPathsOfThisServerAreFollowed(String target) {
        assertEquals(Optional.empty(), ForwardUrl.allowed(NO_LIST, encode(target)), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "https://app.example.com/after?x=1", "https://other.example.com/only/here"})
    void allowListedUrlsAreFollowed(String target) {
        assertEquals(Optional.of(target), ForwardUrl.allowed(LISTED, encode(target)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com.evil.example/", "https://other.example.com/elsewhere", "http://app.example.com/",
            "https://app.example.com@evil.example/", "//app.example.com/x"})
    void urlsOffTheAllowListAreNot(String target) {
        assertEquals(Optional.empty(), ForwardUrl.allowed(LISTED, encode(target)), target);
    }

    @Test
    void aBlankAllowListAllowsNothing() {
        assertEquals(Optional.empty(), ForwardUrl.allowed(realm("   "), encode("https://app.example.com/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not base64!", "%2Fx", "L3g=L3g=", "ICAg"})
    void garbageIsNotFollowed(String encoded) {
        assertEquals(Optional.empty(), ForwardUrl.allowed(NO_LIST, encoded), encoded);
    }

    @Test
    void noValueIsNotFollowed() {
        assertEquals(Optional.empty(), ForwardUrl.allowed(NO_LIST, null));
    }

    private static String encode(String target) {
        return Base64.getEncoder().encodeToString(bytes(target));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A realm that answers only its forward-URL allow-list attribute. */
    private static RealmModel realm(String allowList) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ForwardUrl.ALLOW_LIST_ATTRIBUTE, allowList);
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[]{RealmModel.class}, (proxy, method, args) -> {
            if (method.getName().equals("getAttribute") && args.length == 1) {
                return attributes.get((String) args[0]);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
