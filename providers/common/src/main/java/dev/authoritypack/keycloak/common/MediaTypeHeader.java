package dev.authoritypack.keycloak.common;

import java.util.Locale;

/**
 * A {@code Content-Type} or {@code Accept} element read strictly by RFC 9110 §8.3.1:
 * {@code type "/" subtype *( OWS ";" OWS token "=" ( token / quoted-string ) )}. JAX-RS's own parser answers some
 * malformed headers with an exception that Keycloak turns into a 500; the pack reads them here first and
 * refuses them itself (routes' {@code RequestGuard}) or disregards them. Only the parameters the pack uses are
 * kept: {@code charset} (lower case) and {@code q} (as sent).
 */
public record MediaTypeHeader(String type, String subtype, String charset, String q) {

    /** {@code "type/subtype"} in lower case. */
    public boolean is(String typeSlashSubtype) {
        return (type + "/" + subtype).equals(typeSlashSubtype);
    }

    /** {@code application/json} or any {@code application/*+json}. */
    public boolean json() {
        return is("application/json") || (type.equals("application") && subtype.endsWith("+json"));
    }

    /** Whether a {@code Content-Type} names a JSON body. */
    public static boolean isJson(String header) {
        MediaTypeHeader type = header == null ? null : parse(header);
        return type != null && type.json();
    }

    /** The media type, or {@code null} when the header is not one. */
    public static MediaTypeHeader parse(String header) {
        Cursor c = new Cursor(header.trim());
        String type = c.token();
        if (type.isEmpty() || !c.take('/')) {
            return null;
        }
        String subtype = c.token();
        if (subtype.isEmpty()) {
            return null;
        }
        String charset = null;
        String q = null;
        while (!c.atEnd()) {
            c.skipSpace();
            if (c.atEnd()) {
                break;
            }
            if (!c.take(';')) {
                return null;
            }
            c.skipSpace();
            String name = c.token().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !c.take('=')) {
                return null;
            }
            String value = c.peek('"') ? c.quoted() : c.token();
            if (value == null || value.isEmpty() && !c.quotedLast) {
                return null;
            }
            if (name.equals("charset")) {
                charset = value.toLowerCase(Locale.ROOT);
            } else if (name.equals("q")) {
                q = value;
            }
        }
        return new MediaTypeHeader(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), charset, q);
    }

    /** A position in the header being read. */
    private static final class Cursor {
        private final String s;
        private int i;
        private boolean quotedLast;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        boolean peek(char ch) {
            return i < s.length() && s.charAt(i) == ch;
        }

        boolean take(char ch) {
            if (peek(ch)) {
                i++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        /** RFC 9110 token: a run of tchar, possibly empty. */
        String token() {
            quotedLast = false;
            int start = i;
            while (i < s.length() && tchar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        /** RFC 9110 quoted-string with its escapes; {@code null} when unterminated or holding control characters. */
        String quoted() {
            quotedLast = true;
            StringBuilder v = new StringBuilder();
            i++; // the opening quote
            while (i < s.length() && s.charAt(i) != '"') {
                char ch = s.charAt(i);
                if (ch == '\\' && i + 1 < s.length()) {
                    ch = s.charAt(++i);
                }
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                    return null;
                }
                v.append(ch);
                i++;
            }
            return take('"') ? v.toString() : null;
        }

        private static boolean tchar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
