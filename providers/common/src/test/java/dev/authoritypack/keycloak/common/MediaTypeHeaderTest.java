package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaTypeHeaderTest {

    @Test
    void typeAndSubtypeAreLowerCasedAndNoParametersMeanNulls() {
        assertEquals(new MediaTypeHeader("text", "html", null, null), MediaTypeHeader.parse("  Text/HTML  "));
    }

    @Test
    void charsetIsLowerCasedAndQIsKeptAsSent() {
        MediaTypeHeader t = MediaTypeHeader.parse("application/json; CharSet=UTF-8;q=0.50");
        assertEquals(new MediaTypeHeader("application", "json", "utf-8", "0.50"), t);
    }

    @Test
    void whitespaceAroundSemicolonsIsAllowed() {
        assertEquals("utf-8", MediaTypeHeader.parse("text/plain \t;\t charset=utf-8 ").charset());
    }

    @Test
    void unknownParametersAreAcceptedAndDropped() {
        assertEquals(new MediaTypeHeader("multipart", "form-data", null, null),
                MediaTypeHeader.parse("multipart/form-data; boundary=----x123"));
    }

    @Test
    void quotedValuesLoseTheirQuotesAndEscapes() {
        assertEquals("utf-8", MediaTypeHeader.parse("text/plain; charset=\"UTF-8\"").charset());
        assertEquals("a\"b\\c", MediaTypeHeader.parse("text/plain; charset=\"a\\\"b\\\\c\"").charset());
        assertEquals("a;b c", MediaTypeHeader.parse("text/plain; charset=\"a;b c\"; q=1").charset());
    }

    @Test
    void anEmptyQuotedValueIsAllowedButAnEmptyTokenIsNot() {
        assertEquals("", MediaTypeHeader.parse("text/plain; charset=\"\"").charset());
        assertNull(MediaTypeHeader.parse("text/plain; charset="));
        assertNull(MediaTypeHeader.parse("text/plain; charset=; q=1"));
    }

    @Test
    void theLastOfARepeatedParameterWins() {
        assertEquals("utf-16", MediaTypeHeader.parse("text/plain; charset=utf-8; charset=UTF-16").charset());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "text", "text/", "/html", "text /html", "text/ html", "a/b/c", "text/html;", "text/html;;;",
            "text/html; ;charset=utf-8", "text/html charset=utf-8", "text/html; charset", "text/html; =utf-8",
            "text/html; charset = utf-8", "text/html; charset=\"utf-8", "text/html; charset=\"utf-8\\\"",
            "text/html; charset=\"a\u0001b\"", "text/html; charset=\"a\u007fb\"", "text/html; charset=\"a\\\u0000b\"",
            "text/html; charset=utf-8 x", "text/h(tml)", "tëxt/html", "text/html,application/json"})
    void malformedHeadersAreNotMediaTypes(String header) {
        assertNull(MediaTypeHeader.parse(header), header);
    }

    @Test
    void aTabInsideAQuotedValueIsAllowed() {
        assertNotNull(MediaTypeHeader.parse("text/plain; x=\"a\tb\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8", "application/problem+json",
            "application/vnd.api+json; q=0.9", "application/json;charset=\"utf-8\""})
    void jsonContentTypes(String header) {
        assertTrue(MediaTypeHeader.isJson(header), header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/json", "application/jsonx", "application/json+xml", "application/x-www-form-urlencoded",
            "text/plain+json", "application/*", "*/*", "application/json;;", "application/json/x", "application/json; charset=\"utf-8"})
    void notJsonContentTypes(String header) {
        assertFalse(MediaTypeHeader.isJson(header), header);
    }

    @Test
    void noHeaderIsNotJson() {
        assertFalse(MediaTypeHeader.isJson(null));
    }

    @Test
    void isComparesTheLowerCasedTypeAndSubtype() {
        MediaTypeHeader t = MediaTypeHeader.parse("TEXT/Html");
        assertTrue(t.is("text/html"));
        assertFalse(t.is("text/plain"));
        assertFalse(t.is("TEXT/Html"));
    }
}
