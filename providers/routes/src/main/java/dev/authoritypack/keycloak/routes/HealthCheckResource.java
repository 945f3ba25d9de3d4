package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealmResource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health_check}: 200 while the server can serve the realm, 503 when its database does not answer.
 *
 * <p>Keycloak's own {@code /health/ready} lives on the management port and is off by default; this route is
 * the documented one, on the public port, per realm. It runs one trivial query through Keycloak's JPA
 * connection, the same connection every login depends on.
 */
class HealthCheckResource extends PackRealmResource {

    private static final Logger LOG = Logger.getLogger(HealthCheckResource.class);

    HealthCheckResource(KeycloakSession session) {
        super(session);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response check() {
        boolean database = databaseAnswers();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", database ? "ok" : "unavailable");
        body.put("realm", session.getContext().getRealm().getName());
        body.put("checks", Map.of("database", database ? "up" : "down"));
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(database ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .cacheControl(noStore)
                .entity(body)
                .build();
    }

    private boolean databaseAnswers() {
        try {
            session.getProvider(JpaConnectionProvider.class).getEntityManager()
                    .createNativeQuery("SELECT 1").getSingleResult();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("health_check: database does not answer (%s)", e.getClass().getSimpleName());
            session.getTransactionManager().setRollbackOnly();
            return false;
        }
    }
}
