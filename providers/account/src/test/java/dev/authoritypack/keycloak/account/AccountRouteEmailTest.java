package dev.authoritypack.keycloak.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccountRouteEmailTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "someone@example.com", "Some.One+tag@Example.COM", "a@b@c", "\"quoted\"@example.com"})
    void anAddressWithSomethingEitherSideOfAnAtSignIsAccepted(String email) {
        assertEquals(Optional.of(email), AccountRoute.email(input(email)));
    }

    @Test
    void surroundingWhitespaceIsTrimmedAndCaseIsKept() {
        assertEquals(Optional.of("Someone@Example.com"), AccountRoute.email(input("  Someone@Example.com\t")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "someone", "@example.com", "someone@", "some one@example.com", "someone@exa\tmple.com",
            "someone\u0000@example.com", "some\u0001one@example.com", "some\u007fone@example.com", "some\u2003one@example.com",
            "someone@example.com\r\nBcc: x@example.com"})
    void malformedAddressesAreRefused(String email) {
        assertEquals(Optional.empty(), AccountRoute.email(input(email)), email);
    }

    @Test
    void aMissingEmailFieldIsRefused() {
        assertEquals(Optional.empty(), AccountRoute.email(new AccountRoute.Input(Map.of("name", "x"), null)));
    }

    @Test
    void theLengthLimitIs254Characters() {
        String at254 = "a".repeat(242) + "@example.com";
        assertEquals(254, at254.length());
        assertEquals(Optional.of(at254), AccountRoute.email(input(at254)));
        assertEquals(Optional.empty(), AccountRoute.email(input("a" + at254)));
    }

    private static AccountRoute.Input input(String email) {
        return new AccountRoute.Input(Map.of("email", email), null);
    }
}
