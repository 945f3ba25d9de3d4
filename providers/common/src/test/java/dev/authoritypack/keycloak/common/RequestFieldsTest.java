package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestFieldsTest {

    @Test
    void readsJsonAndFormAlike() throws Exception {
        assertEquals(Map.of("email", "a@b.c", "token", "x.y"), RequestFields.parse("application/json; charset=utf-8", "{\"email\":\"a@b.c\",\"token\":\"x.y\",\"n\":null}"));
        assertEquals(Map.of("email", "a+b@c.d", "password", "p w&="), RequestFields.parse("application/x-www-form-urlencoded", "email=a%2Bb%40c.d&password=p+w%26%3D"));
        assertEquals(Map.of("email", "first"), RequestFields.parse("Application/X-WWW-Form-Urlencoded;charset=UTF-8", "email=first&email=second"));
        assertEquals(Map.of(), RequestFields.parse(null, ""));
        assertEquals(Map.of("a", ""), RequestFields.parse("application/x-www-form-urlencoded", "a&&"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json|{|400",
            "application/json|[1,2]|400",
            "application/json|\"text\"|400",
            "application/json|{\"email\":{\"$ne\":1}}|400",
            "application/json|{\"email\":[\"a\"]}|400",
            "application/json|''|400",
            "application/x-www-form-urlencoded|email=%zz|400",
            "application/x-www-form-urlencoded|email=%|400",
            "text/plain|email=a|415",
            "multipart/form-data; boundary=x|--x--|415",
            "garbage|email=a|415",
            "''|email=a|415",
    })
    void refusesWhatItCannotRead(String type, String body, int status) {
        RequestFields.Unreadable e = assertThrows(RequestFields.Unreadable.class, () -> RequestFields.parse(type, body));
        assertEquals(status, e.status());
    }

    @Test
    void refusesTooManyFields() {
        String body = "a=1&".repeat(RequestFields.MAX_FIELDS + 1);
        assertEquals(400, assertThrows(RequestFields.Unreadable.class,
                () -> RequestFields.parse("application/x-www-form-urlencoded", body)).status());
        assertEquals(400, assertThrows(RequestFields.Unreadable.class,
                () -> RequestFields.parse("application/x-www-form-urlencoded", "a=1&".repeat(20_000))).status());
    }
}
