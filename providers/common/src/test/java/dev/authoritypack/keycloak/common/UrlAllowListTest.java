package dev.authoritypack.keycloak.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlAllowListTest {

    private static final List<String> LIST = List.of("https://app.example.com", "https://other.example.com/only/");

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "https://app.example.com/x?y=1", "https://app.example.com?x", "https://other.example.com/only/here"})
    void allowed(String url) {
        assertTrue(UrlAllowList.allows(LIST, url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com.evil.example/", "https://app.example.comx", "https://other.example.com/onlyx",
            "https://user@app.example.com/x", "https://app.example.com@evil.example/", "javascript:alert(1)", "//app.example.com/x", "/relative", "ftp://app.example.com/"})
    void refused(String url) {
        assertFalse(UrlAllowList.allows(LIST, url), url);
    }
}
