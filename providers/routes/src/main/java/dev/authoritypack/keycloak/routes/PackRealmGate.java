package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.PackRealms;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.Optional;

/**
 * Decides, first among the pack's Vert.x handlers, whether the pack acts on the realm a request names
 * ({@link PackRealms}): its issuer path {@code /realms/{realm}/…}, or the default realm for a documented route at
 * the host root. Every later handler (CORS, the account console's policy, the rate limits, the re-router) leaves a
 * request alone that {@link PackRealms#passedBy} says is for a realm the pack was not applied to, so such a realm
 * answers as on stock Keycloak. The realm attribute is read on a worker thread when this node's copy is stale, the
 * request paused meanwhile (its body stays unread for Keycloak). ExistingRealmIT fails if this stops running.
 */
@ApplicationScoped
public class PackRealmGate {

    private static final Logger LOG = Logger.getLogger(PackRealmGate.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        String realm = realmOf(rc);
        if (realm == null || PackRealms.decided(rc, realm) != null) {
            rc.next(); // no realm, or decided before a re-route
            return;
        }
        Optional<Boolean> known = PackRealms.cached(realm);
        if (known.isPresent()) {
            PackRealms.decide(rc, realm, known.get());
            rc.next();
            return;
        }
        KeycloakSessionFactory factory = DefaultDocumentedRoutesProviderFactory.sessionFactory();
        if (factory == null) {
            PackRealms.decide(rc, realm, false); // Keycloak is still starting: it answers alone
            rc.next();
            return;
        }
        rc.request().pause();
        rc.vertx().executeBlocking(() -> KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel model = session.realms().getRealmByName(realm);
            return model != null && PackRealms.isApplied(session, model);
        }), false).onComplete(done -> {
            if (done.failed()) {
                LOG.warnf("Pack realm not checked, left to Keycloak: %s", done.cause().toString());
            }
            PackRealms.decide(rc, realm, done.succeeded() && done.result());
            rc.next();
        });
    }

    /** The realm of a documented route (at either base), else of any path under {@code /realms/{realm}/}, else null. */
    private static String realmOf(RoutingContext rc) {
        Optional<DocumentedRoute.Match> match = RouteOfRequest.of(rc);
        if (match.isPresent()) {
            return match.get().realm();
        }
        RealmPath path = RealmPath.of(rc.normalizedPath());
        return path == null ? null : path.realm();
    }
}
