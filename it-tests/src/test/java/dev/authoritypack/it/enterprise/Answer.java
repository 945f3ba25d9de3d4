package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.Http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP answer reduced to the lines that must be equal on two servers given the same request (StockComparisonIT):
 * the status, every header, and the body — JSON as one {@code path = value} line per leaf, HTML as its title, forms
 * (action path and parameter names), linked resources and visible text, anything else as text. Only what differs
 * between two servers by nature is normalised: the server's own address, {@code Date}, {@code Content-Length} (the
 * body is compared itself), cookie values and expiry dates, ids, keys, tokens, session and tab codes, timestamps, the
 * theme resources' version segment, and the order of lists Keycloak writes in no fixed order (client scopes, CORS
 * headers).
 */
final class Answer {

    /** JSON fields whose values are per server or per request (ids, keys, tokens, times): compared by presence and kind. */
    private static final Set<String> RANDOM_FIELDS = Set.of("access_token", "refresh_token", "id_token", "session_state", "sid",
            "sub", "jti", "id", "kid", "n", "x5c", "x5t", "x5t#S256", "createdTimestamp", "iat", "exp", "auth_time", "nbf",
            "containerId", "userId", "credentialId", "flowId", "parentId", "internalId", "public_key", "certificate");
    /**
     * Lists whose order is the server's: Keycloak orders a realm's client scopes by their generated ids, so discovery's
     * {@code scopes_supported} and a token's {@code scope} list the same scopes in another order on each server.
     */
    private static final Set<String> UNORDERED = Set.of("scopes_supported", "scope");
    /**
     * Seconds left of a token, counted when the answer is written: two servers answering in different seconds say
     * 300 and 299 for the same lifespan (seen in CI). Compared rounded up to ten seconds.
     */
    private static final Set<String> SECONDS_LEFT = Set.of("expires_in", "refresh_expires_in");
    private static final Set<String> DROPPED_HEADERS = Set.of("date", "content-length");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Pattern RANDOM_PARAMS = Pattern.compile("\\b(session_code|tab_id|client_data|code|execution|state|nonce)=[^&\"'\\s;<]+");
    private static final Pattern RESOURCES_VERSION = Pattern.compile("/resources/[a-z0-9]{5,}/");
    private static final Pattern COOKIE = Pattern.compile("^([^=;]+)=([^;]*)");
    private static final Pattern EXPIRES = Pattern.compile("(?i)(Expires=)[^;]+");
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern FORM = Pattern.compile("(?is)<form\\b[^>]*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("(?is)\\b(action|method|id|href|src)=\"([^\"]*)\"");
    private static final Pattern LINKED = Pattern.compile("(?is)<(link|script)\\b[^>]*>");
    private static final Pattern INPUT_NAME = Pattern.compile("(?is)<input\\b[^>]*\\bname=\"([^\"]*)\"");

    private Answer() {
    }

    /** The answer's lines, each prefixed with what it is ({@code status}, {@code header}, {@code json}, {@code html}, {@code text}). */
    static List<String> lines(Http.Response r, URI base) {
        List<String> lines = new ArrayList<>();
        lines.add("status " + r.status());
        Set<String> headers = new TreeSet<>();
        r.raw().headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (DROPPED_HEADERS.contains(n) || n.equals(":status")) {
                return;
            }
            for (String v : values) {
                headers.add("header " + n + ": " + header(n, v, base));
            }
        });
        lines.addAll(headers);
        String type = r.header("Content-Type") == null ? "" : r.header("Content-Type").toLowerCase(Locale.ROOT);
        String body = r.body() == null ? "" : r.body();
        if (body.isEmpty()) {
            lines.add("body (empty)");
        } else if (type.contains("json")) {
            json(lines, "json ", parse(body), base, false);
        } else if (type.contains("html")) {
            html(lines, body, base);
        } else {
            lines.add("text " + normalise(body, base));
        }
        return lines;
    }

    /** The lines of a JSON document (an admin representation), normalised as an answer's body is. */
    static List<String> json(JsonNode node, URI base) {
        List<String> lines = new ArrayList<>();
        json(lines, "", node, base, false);
        return lines;
    }

    /** Lines of one side missing in the other, both ways, for a failure message; empty when the two are equal. */
    static String diff(String what, List<String> stock, List<String> pack) {
        List<String> onlyStock = new ArrayList<>(stock);
        onlyStock.removeAll(pack);
        List<String> onlyPack = new ArrayList<>(pack);
        onlyPack.removeAll(stock);
        if (onlyStock.isEmpty() && onlyPack.isEmpty() && stock.size() == pack.size()) {
            return "";
        }
        StringBuilder out = new StringBuilder(what).append(":\n");
        onlyStock.forEach(l -> out.append("  - stock: ").append(l).append('\n'));
        onlyPack.forEach(l -> out.append("  + pack:  ").append(l).append('\n'));
        if (onlyStock.isEmpty() && onlyPack.isEmpty()) {
            out.append("  (the same lines, a different number of times: ").append(stock.size()).append(" / ").append(pack.size()).append(")\n");
        }
        return out.toString();
    }

    private static String header(String name, String value, URI base) {
        if (name.equals("set-cookie")) {
            Matcher cookie = COOKIE.matcher(value);
            String v = cookie.find() ? cookie.group(1) + (cookie.group(2).isEmpty() ? "=" : "={value}") + value.substring(cookie.end()) : value;
            return normalise(EXPIRES.matcher(v).replaceAll("$1{date}"), base);
        }
        if (name.startsWith("access-control-") && value.contains(",")) {
            // a CORS list is a set (Fetch standard); Keycloak writes its allowed headers in no fixed order
            return normalise(String.join(", ", new TreeSet<>(List.of(value.split("\\s*,\\s*")))), base);
        }
        return normalise(value, base);
    }

    /** The server's own address, UUIDs, JWTs, random query values, the resources' version: placeholders. */
    static String normalise(String s, URI base) {
        String host = base.getHost() + ":" + base.getPort();
        String out = s.replace(base.toString(), "{base}")
                .replace(URLEncoder.encode(base.toString(), StandardCharsets.UTF_8), "{base}")
                .replace(host, "{host}");
        out = JWT.matcher(out).replaceAll("{jwt}");
        out = UUID.matcher(out).replaceAll("{uuid}");
        out = RANDOM_PARAMS.matcher(out).replaceAll("$1={random}");
        return RESOURCES_VERSION.matcher(out).replaceAll("/resources/{version}/");
    }

    private static JsonNode parse(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            return Http.JSON.getNodeFactory().textNode("(not JSON) " + body);
        }
    }

    private static void json(List<String> lines, String path, JsonNode node, URI base, boolean random) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                lines.add(path + " = {}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (UNORDERED.contains(field.getKey())) {
                    value = sorted(value);
                }
                json(lines, path + "." + field.getKey(), value, base, random || RANDOM_FIELDS.contains(field.getKey()));
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                lines.add(path + " = []");
            }
            boolean objects = node.size() > 0 && node.get(0).isContainerNode();
            List<List<String>> elements = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                List<String> element = new ArrayList<>();
                // elements of objects in any order (a key set's order is the server's): each one's lines under [*],
                // scalars in their order
                json(element, path + (objects ? "[*]" : "[" + i + "]"), node.get(i), base, random);
                elements.add(element);
            }
            if (objects) {
                elements.sort((a, b) -> String.join("\n", a).compareTo(String.join("\n", b)));
            }
            elements.forEach(lines::addAll);
        } else {
            String field = path.substring(path.lastIndexOf('.') + 1);
            String value = random ? "{" + node.getNodeType().name().toLowerCase(Locale.ROOT) + "}"
                    : SECONDS_LEFT.contains(field) && node.canConvertToLong() && node.asLong() > 0 ? "{about " + (node.asLong() + 9) / 10 * 10 + " s}"
                    : node.isTextual() ? "\"" + normalise(node.asText(), base) + "\"" : node.toString();
            lines.add(path + " = " + value);
        }
    }

    /** A list of scalars, or a space-separated text, in sorted order. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isTextual()) {
            return Http.JSON.getNodeFactory().textNode(String.join(" ", new TreeSet<>(List.of(node.asText().split(" ")))));
        }
        if (node.isArray() && node.size() > 0 && node.get(0).isValueNode()) {
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.asText()));
            values.sort(null);
            return Http.JSON.valueToTree(values);
        }
        return node;
    }

    private static void html(List<String> lines, String body, URI base) {
        Matcher title = TITLE.matcher(body);
        lines.add("html title: " + (title.find() ? normalise(title.group(1).trim(), base) : "(none)"));
        Matcher forms = FORM.matcher(body);
        while (forms.find()) {
            StringBuilder form = new StringBuilder("html form:");
            Matcher a = ATTRIBUTE.matcher(forms.group());
            while (a.find()) {
                String v = a.group(2).replace("&amp;", "&");
                form.append(' ').append(a.group(1)).append('=').append(a.group(1).equalsIgnoreCase("action") ? shape(v, base) : normalise(v, base));
            }
            lines.add(form.toString());
        }
        Set<String> inputs = new TreeSet<>();
        Matcher input = INPUT_NAME.matcher(body);
        while (input.find()) {
            inputs.add(input.group(1));
        }
        lines.add("html inputs: " + inputs);
        Matcher linked = LINKED.matcher(body);
        while (linked.find()) {
            Matcher a = ATTRIBUTE.matcher(linked.group());
            while (a.find()) {
                if (a.group(1).equalsIgnoreCase("href") || a.group(1).equalsIgnoreCase("src")) {
                    lines.add("html " + linked.group(1).toLowerCase(Locale.ROOT) + ": " + normalise(a.group(2), base));
                }
            }
        }
        String text = body.replaceAll("(?is)<(script|style)\\b.*?</\\1>", " ").replaceAll("(?s)<[^>]*>", " ")
                .replace("&nbsp;", " ").replaceAll("\\s+", " ").trim();
        lines.add("html text: " + normalise(text, base));
    }

    /** A form action as path and sorted parameter names: the values are one request's codes. */
    private static String shape(String action, URI base) {
        String url = normalise(action, base);
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        Set<String> names = new TreeSet<>();
        for (String pair : url.substring(q + 1).split("&")) {
            names.add(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
        }
        return url.substring(0, q) + "?" + String.join("&", names);
    }
}
