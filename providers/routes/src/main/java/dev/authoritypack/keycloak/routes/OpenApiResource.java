package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealmResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.Urls;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Iterator;

/**
 * {@code GET /openapi.json}: the pack's OpenAPI 3.1 document (the repository's
 * {@code openapi/authority-openapi.json}, the one the integration suite holds every exchange to), with
 * {@code servers} naming this server's URLs: the realm's issuer and, for the default realm, the host root.
 */
class OpenApiResource extends PackRealmResource {

    static final String DOCUMENT = "/openapi/authority-openapi.json";

    OpenApiResource(KeycloakSession session) {
        super(session);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response document() {
        URI base = session.getContext().getUri().getBaseUri();
        String root = base.toString().replaceAll("/$", "");
        String realm = session.getContext().getRealm().getName();
        ObjectNode doc = Document.DOC.deepCopy();
        ArrayNode servers = doc.putArray("servers");
        servers.addObject().put("url", Urls.realmIssuer(base, realm)).put("description", "the issuer of realm " + realm);
        if (realm.equals(RouteSettings.current().hostRootRealm())) {
            servers.addObject().put("url", root).put("description", "the host root (the default realm)");
        }
        for (Iterator<JsonNode> paths = doc.path("paths").elements(); paths.hasNext(); ) {
            JsonNode path = paths.next();
            if (path.has("servers")) { // the admin endpoints: Keycloak's base URL
                ((ObjectNode) path).putArray("servers").addObject().put("url", root);
            }
        }
        // its servers name the host the request named (Keycloak's base URI without a fixed hostname): a shared cache
        // must keep one copy per host, or one request with a forged Host would serve every reader its URLs
        return Response.ok(doc, MediaType.APPLICATION_JSON_TYPE).header("Vary", "Host").build();
    }

    /** Read once, on first use: the document is part of the jar and does not change. */
    private static final class Document {
        static final ObjectNode DOC = load();

        private static ObjectNode load() {
            try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
                if (in == null) {
                    throw new IllegalStateException(DOCUMENT + " is missing from the jar");
                }
                return (ObjectNode) JsonSerialization.mapper.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
