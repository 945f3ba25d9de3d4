package dev.authoritypack.keycloak.realmsetup;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /admin/realms/{realm}/authority-pack/apply} and {@code …/remove}: the pack onto an existing realm and
 * off it again, for an administrator who may manage the realm ({@code ./run.sh apply-pack}, docs/existing-keycloak.md).
 * The body of an apply is the pack's realm file (realm-config/authority-realm.json, the one source of its parts),
 * its {@code ${VAR:default}} placeholders resolved on the server for the pack's own settings only ({@link PackRealmFile}). Each
 * change happens in one transaction under Keycloak's boot lock ({@link RealmLock}: two at once run one after the
 * other): conflicts are found before anything is written (409, nothing changed), and a failure half-way rolls the
 * whole change back. The answer is a plain-text report, one line per part:
 * {@code +} added, {@code ~} replaced, {@code -} removed, {@code !} a difference kept, {@code =} left as it is, then
 * {@code changes: N}. {@code dry_run=true} reports the same without writing.
 */
public class PackRealmAdminResource {

    private static final Logger LOG = Logger.getLogger(PackRealmAdminResource.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    PackRealmAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @POST
    @Path("apply")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_PLAIN)
    public Response apply(String realmFile, @QueryParam("dry_run") boolean dryRun, @QueryParam("bind_flows") boolean bindFlows,
                          @QueryParam("force") boolean force) {
        auth.realm().requireManageRealm();
        RealmRepresentation pack;
        try {
            pack = PackRealmFile.read(realmFile);
        } catch (IllegalArgumentException e) {
            return text(400, e.getMessage() + "; nothing was changed");
        }
        PackRealmParts.Report report = dryRun ? new PackRealmApply(session, realm, pack, true).apply(bindFlows, force)
                : oneAtATime(s -> new PackRealmApply(s, s.getContext().getRealm(), pack, false).apply(bindFlows, force));
        if (report == null) {
            return realmGone();
        }
        if (!report.conflicts().isEmpty()) {
            return text(409, report.conflicts().stream().map(c -> "conflict: " + c).collect(Collectors.joining("\n")) + "\nnothing was changed");
        }
        LOG.infof("authority pack %s realm %s: %d changes", dryRun ? "dry run on" : "applied to", realm.getName(), report.changes());
        audit(report, dryRun);
        return text(200, body(report, dryRun));
    }

    @POST
    @Path("remove")
    @Produces(MediaType.TEXT_PLAIN)
    public Response remove(@QueryParam("dry_run") boolean dryRun) {
        auth.realm().requireManageRealm();
        PackRealmParts.Report report = dryRun ? new PackRealmRemoval(session, realm, true).remove()
                : oneAtATime(s -> new PackRealmRemoval(s, s.getContext().getRealm(), false).remove());
        if (report == null) {
            return realmGone();
        }
        LOG.infof("authority pack %s realm %s: %d changes", dryRun ? "removal dry run on" : "removed from", realm.getName(), report.changes());
        audit(report, dryRun);
        return text(200, body(report, dryRun));
    }

    /** A change of the realm, one at a time ({@link RealmLock}); a dry run reads without the lock. */
    private PackRealmParts.Report oneAtATime(java.util.function.Function<KeycloakSession, PackRealmParts.Report> change) {
        return RealmLock.withRealm(session, realm.getId(), change);
    }

    /**
     * One admin event per apply or removal that changed the realm, as Keycloak records its own admin changes (kept
     * when the realm's admin events are on; the report's lines as its representation when details are on).
     */
    private void audit(PackRealmParts.Report report, boolean dryRun) {
        if (dryRun || report.changes() == 0) {
            return;
        }
        adminEvent.operation(OperationType.ACTION).resource(ResourceType.REALM).resourcePath(session.getContext().getUri())
                .representation(Map.of("changes", report.changes(), "report", report.lines().stream().map(Object::toString).toList()))
                .success();
    }

    private static String body(PackRealmParts.Report report, boolean dryRun) {
        StringBuilder text = new StringBuilder();
        report.lines().forEach(l -> text.append(dryRun && l.isChange() ? "would " : "").append(l).append('\n'));
        text.append(dryRun ? "dry run, nothing changed; changes it would make: " : "changes: ").append(report.changes());
        return text.toString();
    }

    /** A change that found its realm gone once it held the lock ({@link RealmLock}): a concurrent deletion won. */
    private static Response realmGone() {
        return text(404, "the realm was deleted meanwhile; nothing was changed");
    }

    private static Response text(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(body + "\n").build();
    }
}
