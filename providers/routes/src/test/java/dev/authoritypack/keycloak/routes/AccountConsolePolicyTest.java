package dev.authoritypack.keycloak.routes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccountConsolePolicyTest {

    @Test
    void scriptAndStyleRulesGoTheRestStays() {
        assertEquals("frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self';",
                AccountConsolePolicy.withoutScriptAndStyleRules("frame-src 'self'; frame-ancestors 'self'; object-src 'none'; "
                        + "script-src 'self' 'unsafe-hashes' 'sha256-x='; style-src 'self'; base-uri 'self';"));
        assertEquals("object-src 'none';", AccountConsolePolicy.withoutScriptAndStyleRules(
                "SCRIPT-SRC-ELEM 'self';style-src-attr 'none' ;  object-src 'none'"));
        assertEquals("", AccountConsolePolicy.withoutScriptAndStyleRules("script-src 'self';"));
    }
}
