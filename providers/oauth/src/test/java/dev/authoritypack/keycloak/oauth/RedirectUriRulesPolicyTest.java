package dev.authoritypack.keycloak.oauth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedirectUriRulesPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb",
            "https://app.example.com/cb?x=1"})
    void accepted(String uri) {
        assertTrue(RedirectUriRulesPolicy.problem(uri).isEmpty(), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.example.com/cb", "https://app.example.com/cb#frag", "http://localhost/cb#x",
            "javascript:alert(1)", "custom:/cb", "/relative", "https:///nohost", "ht tp://bad", "http://localhost.evil.example/cb"})
    void refused(String uri) {
        assertFalse(RedirectUriRulesPolicy.problem(uri).isEmpty(), uri);
    }
}
