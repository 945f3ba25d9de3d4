package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.authoritypack.keycloak.routes.DocumentedRoute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The pack's OpenAPI document (providers/routes/src/main/resources/openapi/authority-openapi.json) as a contract
 * every exchange of the suite with the pack's routes must keep: the route and method are in the document, the
 * status is one of the operation's answers, the body fits that answer's schema (networknt's validator in the
 * OpenAPI 3.1 dialect, {@code $ref}s resolved in the document), the pack's headers are declared and required
 * ones present; a request the server accepted (2xx, 3xx) fits the operation's parameters and request body.
 *
 * <p>A request the server refused (4xx) may be malformed on purpose (the malformed-input corpus): only its
 * answer is checked then.
 */
public final class OpenApiContract {

    /** Where the document lives in the repository. */
    public static Path documentFile() {
        return KeycloakServer.projectRoot().resolve("providers/routes/src/main/resources/openapi/authority-openapi.json");
    }

    private static final String DOC_URI = "https://authority-pack.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Headers the pack (or the OAuth RFCs) give a meaning: present in an answer, they must be declared for it. */
    private static final List<String> MEANINGFUL_HEADERS = List.of("Location", "Retry-After", "X-RateLimit-Limit",
            "X-RateLimit-Remaining", "X-RateLimit-Reset", "Allow", "WWW-Authenticate");

    private static volatile OpenApiContract instance;

    private final JsonNode doc;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final List<Template> templates = new ArrayList<>();
    /** The documented answers ({@code METHOD path status}) some exchange of the run got. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private record Template(String path, Pattern pattern, boolean admin) {
    }

    /** One HTTP exchange as the suite saw it; {@code requestBody}, {@code responseBody} may be null (not seen). */
    public record Exchange(String method, String path, String query, String requestContentType, String requestBody,
                           int status, Map<String, List<String>> responseHeaders, String responseBody) {
    }

    private OpenApiContract(String text) throws IOException {
        this.doc = Http.JSON.readTree(text);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOC_URI, text)));
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String p = it.next();
            String regex = "\\Q" + p.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E/?";
            templates.add(new Template(p, Pattern.compile(regex), p.startsWith("/admin/")));
        }
    }

    public static OpenApiContract get() {
        OpenApiContract c = instance;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                if (instance == null) {
                    try {
                        instance = new OpenApiContract(Files.readString(documentFile()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                c = instance;
            }
        }
        return c;
    }

    public JsonNode document() {
        return doc;
    }

    /** The violations of one exchange; empty when it keeps the contract or is not the pack's. */
    public List<String> check(Exchange e) {
        List<String> out = new ArrayList<>();
        String path = e.path();
        String relative;
        boolean admin = path.startsWith("/admin/");
        if (admin) {
            relative = path;
        } else if (path.startsWith("/realms/") && path.indexOf('/', "/realms/".length()) > 0) {
            relative = path.substring(path.indexOf('/', "/realms/".length()));
        } else {
            relative = path;
        }
        Optional<Template> template = templates.stream().filter(t -> t.admin == admin && t.pattern.matcher(relative).matches()).findFirst();
        if (template.isEmpty()) {
            if (DocumentedRoute.match(path, "authority").isPresent() || (admin && path.matches("/admin/realms/[^/]+/auth0-import(/.*)?"))) {
                out.add("route not in the document: " + e.method() + " " + path);
            }
            return out;
        }
        String method = e.method().toLowerCase(Locale.ROOT);
        boolean head = method.equals("head");
        JsonNode pathItem = doc.path("paths").path(template.get().path);
        String pointer = "/paths/" + escape(template.get().path);
        JsonNode operation = pathItem.get(head ? "get" : method);
        if (operation == null) {
            if (method.equals("options") || !METHODS.contains(method) && e.status() == 400) {
                return out; // CORS preflight is Keycloak's (info.description); an unknown method token is refused by the HTTP layer
            }
            if (e.status() != 405 && e.status() != 400) {
                out.add(e.method() + " " + path + " is not in the document and was answered " + e.status() + ", not 405");
                return out;
            }
            // 400: a malformed request is refused before its method is looked at
            checkAnswer(e, e.status() == 405 ? "/components/responses/MethodNotAllowed" : "/components/responses/InvalidRequest", head, out);
            return out;
        }
        pointer += "/" + (head ? "get" : method);
        String status = String.valueOf(e.status());
        if (!operation.path("responses").has(status)) {
            out.add(e.method() + " " + template.get().path + ": status " + status + " not in the document (" + describe(e) + ")");
            return out;
        }
        seen.add((head ? "GET" : e.method().toUpperCase(Locale.ROOT)) + " " + template.get().path + " " + status);
        checkAnswer(e, pointer + "/responses/" + status, head, out);
        if (e.status() < 400) {
            checkRequest(e, operation, pointer, out);
        }
        return out;
    }

    /**
     * Which documented answers the run's exchanges reached, one line each ({@code +} seen, {@code -} not), after a
     * summary line: what the suite does not exercise is documented without being checked against a real answer.
     */
    public String coverage() {
        List<String> lines = new ArrayList<>();
        int total = 0;
        int reached = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                for (Iterator<String> codes = op.getValue().path("responses").fieldNames(); codes.hasNext(); ) {
                    String key = op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey() + " " + codes.next();
                    boolean hit = seen.contains(key);
                    total++;
                    reached += hit ? 1 : 0;
                    lines.add((hit ? "+ " : "- ") + key);
                }
            }
        }
        return reached + " of " + total + " documented answers reached by the suite's exchanges\n" + String.join("\n", lines) + "\n";
    }

    private void checkAnswer(Exchange e, String responsePointer, boolean head, List<String> out) {
        String where = e.method() + " " + e.path() + " -> " + e.status();
        responsePointer = resolve(responsePointer);
        JsonNode response = node(responsePointer);
        if (e.responseHeaders() != null) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            e.responseHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            JsonNode declared = response.path("headers");
            for (String h : MEANINGFUL_HEADERS) {
                if (headers.containsKey(h.toLowerCase(Locale.ROOT)) && !hasField(declared, h)) {
                    out.add(where + ": header " + h + " is not declared for this answer");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                String headerPointer = resolve(responsePointer + "/headers/" + escape(h.getKey()));
                JsonNode header = node(headerPointer);
                List<String> values = headers.get(h.getKey().toLowerCase(Locale.ROOT));
                if (values == null || values.isEmpty()) {
                    if (header.path("required").asBoolean(false)) {
                        out.add(where + ": required header " + h.getKey() + " missing");
                    }
                    continue;
                }
                if (header.has("schema")) {
                    validate(headerPointer + "/schema", Http.JSON.valueToTree(values.get(0)).toString(), where + " header " + h.getKey(), out);
                }
            }
        }
        String body = e.responseBody();
        if (head || body == null || body.isEmpty()) {
            return;
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            out.add(where + ": a body, but the document declares none (" + abbreviate(body) + ")");
            return;
        }
        String type = mediaType(first(e.responseHeaders(), "content-type"));
        if (type == null || !content.has(type)) {
            out.add(where + ": Content-Type " + type + " not declared (declared: " + names(content) + ")");
            return;
        }
        if (isJson(type) && content.path(type).has("schema")) {
            validate(responsePointer + "/content/" + escape(type) + "/schema", body, where, out);
        }
    }

    private void checkRequest(Exchange e, JsonNode operation, String pointer, List<String> out) {
        String where = e.method() + " " + e.path() + " (accepted: " + e.status() + ")";
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        Map<String, String> declaredAt = new LinkedHashMap<>();
        JsonNode params = operation.path("parameters");
        for (int i = 0; i < params.size(); i++) {
            String at = resolve(pointer + "/parameters/" + i);
            JsonNode p = node(at);
            if ("query".equals(p.path("in").asText())) {
                declared.put(p.path("name").asText(), p);
                declaredAt.put(p.path("name").asText(), at);
            }
        }
        // undeclared query parameters are ignored by the routes (as OpenAPI allows); declared ones must fit
        Map<String, String> query = parseForm(e.query());
        declared.forEach((name, p) -> {
            if (p.path("required").asBoolean(false) && !query.containsKey(name)) {
                out.add(where + ": required query parameter '" + name + "' missing");
            } else if (query.containsKey(name) && p.has("schema")) {
                validate(declaredAt.get(name) + "/schema", Http.JSON.valueToTree(query.get(name)).toString(), where + " query parameter " + name, out);
            }
        });
        if (e.requestBody() == null || e.requestBody().isEmpty()) {
            JsonNode rb = operation.path("requestBody");
            if (!rb.isMissingNode() && node(resolve(pointer + "/requestBody")).path("required").asBoolean(false)
                    && e.requestBody() != null && e.status() < 300) { // a redirect (not signed in, host root) reads no body
                out.add(where + ": the document requires a request body");
            }
            return;
        }
        if (operation.path("requestBody").isMissingNode()) {
            out.add(where + ": a request body, but the document declares none");
            return;
        }
        String rbPointer = resolve(pointer + "/requestBody");
        JsonNode content = node(rbPointer).path("content");
        String type = mediaType(e.requestContentType());
        if (type == null || !content.has(type)) {
            out.add(where + ": request Content-Type " + type + " not declared (declared: " + names(content) + ")");
            return;
        }
        if (!content.path(type).has("schema")) {
            return;
        }
        String instance;
        if (type.equals("application/x-www-form-urlencoded")) {
            instance = Http.JSON.valueToTree(parseForm(e.requestBody())).toString();
        } else if (isJson(type)) {
            instance = e.requestBody();
        } else {
            return;
        }
        validate(rbPointer + "/content/" + escape(type) + "/schema", instance, where + " request body", out);
    }

    private void validate(String schemaPointer, String instance, String where, List<String> out) {
        Schema schema = compiled.computeIfAbsent(schemaPointer, p -> schemas.getSchema(SchemaLocation.of(DOC_URI + "#" + p)));
        List<com.networknt.schema.Error> errors;
        try {
            errors = schema.validate(instance, InputFormat.JSON);
        } catch (RuntimeException notJson) {
            out.add(where + ": not JSON (" + abbreviate(instance) + ")");
            return;
        }
        for (com.networknt.schema.Error error : errors) {
            out.add(where + ": " + error.getMessage() + " [" + schemaPointer + "] in " + abbreviate(instance));
        }
    }

    /** Follows {@code $ref}s from a pointer into the document; returns the pointer of the object reached. */
    private String resolve(String pointer) {
        JsonNode n = node(pointer);
        int hops = 0;
        while (n.has("$ref") && hops++ < 10) {
            pointer = n.get("$ref").asText().substring(1);
            n = node(pointer);
        }
        return pointer;
    }

    private JsonNode node(String pointer) {
        return doc.at(pointer);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static boolean hasField(JsonNode node, String name) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (it.next().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String names(JsonNode node) {
        List<String> n = new ArrayList<>();
        node.fieldNames().forEachRemaining(n::add);
        return n.toString();
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    static Map<String, String> parseForm(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                fields.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                fields.put(pair, "");
            }
        }
        return fields;
    }

    private static String describe(Exchange e) {
        return "Content-Type " + first(e.responseHeaders(), "content-type") + ", body " + abbreviate(e.responseBody());
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "none";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
