package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code POST /admin/realms/{realm}/auth0-import/users} and {@code …/password-hashes}: Auth0's bulk user export and
 * its password-hash export (newline-delimited JSON) into the realm, for an administrator who may manage users.
 * Lines are read as they arrive (memory stays flat) and go in by batches of 100, each batch one transaction; a batch
 * with a bad line is redone line by line, so the bad line is reported with its number and reason and leaves nothing
 * half-made. The answer is a report: lines, created,
 * updated, unchanged, failed (line and reason); {@code Accept: text/plain} gives it as one summary line plus one line
 * per failure, for the command line ({@code ./run.sh import-auth0}). {@code first_line} numbers the lines of a part
 * of a larger file.
 */
public class Auth0ImportResource {

    private static final Logger LOG = Logger.getLogger(Auth0ImportResource.class);
    private static final int MAX_LINE = 1 << 20;
    private static final int MAX_FIRST_LINE = 1_000_000_000;
    private static final int BATCH = 100;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    /** The highest cost of the bcrypt hashes this request's lines left in place (one instance per request). */
    private int highestBcryptCost;

    Auth0ImportResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @POST
    @Path("users")
    @Consumes({"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Response users(InputStream body, @QueryParam("first_line") @DefaultValue("1") int firstLine) {
        auth.users().requireManage();
        return run(body, firstLine, Auth0UserImport::user);
    }

    @POST
    @Path("password-hashes")
    @Consumes({"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Response passwordHashes(InputStream body, @QueryParam("first_line") @DefaultValue("1") int firstLine) {
        auth.users().requireManage();
        Response report = run(body, firstLine, Auth0UserImport::passwordHash);
        raiseBcryptTimingCost();
        return report;
    }

    /**
     * Refused passwords cost the same for every account only while the realm knows the cost of the bcrypt hashes
     * it holds ({@link PasswordCheckCost}): the realm attribute is raised to the highest cost this upload left in
     * place, once per upload (a realm write invalidates the realm's cache on every node).
     */
    private void raiseBcryptTimingCost() {
        if (highestBcryptCost <= PasswordCheckCost.bcryptCost(realm)) {
            return;
        }
        String realmId = realm.getId();
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> {
            RealmModel current = s.realms().getRealm(realmId); // as it is now: only ever raised
            if (highestBcryptCost > PasswordCheckCost.bcryptCost(current)) {
                current.setAttribute(PasswordCheckCost.BCRYPT_COST_ATTRIBUTE, Integer.toString(highestBcryptCost));
            }
        });
    }

    private Response run(InputStream body, int firstLine, BiFunction<Auth0UserImport, JsonNode, Auth0UserImport.Outcome> step) {
        Auth0ImportReport report = new Auth0ImportReport();
        List<Map.Entry<Integer, JsonNode>> batch = new ArrayList<>();
        // line numbers stay positive whatever first_line says (an int near its maximum wrapped round before)
        int lineNumber = Math.min(Math.max(1, firstLine), MAX_FIRST_LINE) - 1;
        BoundedLineReader reader = new BoundedLineReader(new InputStreamReader(body, StandardCharsets.UTF_8), MAX_LINE);
        try (body) {
            for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
                lineNumber++;
                if (read(line, lineNumber, batch, report) && batch.size() == BATCH) {
                    importBatch(batch, step, report);
                    batch.clear();
                }
            }
        } catch (IOException e) {
            report.failed(lineNumber + 1, "the upload broke off: " + e.getMessage());
        }
        importBatch(batch, step, report);
        return answer(report);
    }

    /**
     * A line into the batch, or its failure into the report when it is too long or not a JSON object; false for a
     * blank line, which counts for the numbering only.
     */
    private static boolean read(BoundedLineReader.Line line, int lineNumber, List<Map.Entry<Integer, JsonNode>> batch, Auth0ImportReport report) {
        if (!line.tooLong() && line.text().isBlank()) {
            return false;
        }
        report.line();
        try {
            if (line.tooLong()) {
                throw new Auth0Line.BadLine("the line is longer than " + MAX_LINE + " characters");
            }
            batch.add(Map.entry(lineNumber, Auth0Line.parse(JsonSerialization.mapper, line.text())));
        } catch (Auth0Line.BadLine e) {
            report.failed(lineNumber, e.getMessage());
        }
        return true;
    }

    /**
     * Lines go in by batches, one transaction each (a transaction per line costs most of the time); when a batch
     * fails, its lines are done again one by one, so the bad line is found, reported and rolled back alone.
     */
    private void importBatch(List<Map.Entry<Integer, JsonNode>> batch, BiFunction<Auth0UserImport, JsonNode, Auth0UserImport.Outcome> step,
                             Auth0ImportReport report) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            inTransaction(batch, step).forEach(report::add);
            return;
        } catch (RuntimeException batchFailed) {
            if (batch.size() == 1) {
                report.failed(batch.get(0).getKey(), reason(batchFailed, batch.get(0).getKey()));
                return;
            }
        }
        for (Map.Entry<Integer, JsonNode> line : batch) {
            importBatch(List.of(line), step, report);
        }
    }

    private List<Auth0UserImport.Outcome> inTransaction(List<Map.Entry<Integer, JsonNode>> lines,
                                                        BiFunction<Auth0UserImport, JsonNode, Auth0UserImport.Outcome> step) {
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), session.getContext(), s -> {
            RealmModel r = s.realms().getRealm(realmId);
            s.getContext().setRealm(r);
            Auth0UserImport importer = new Auth0UserImport(s, r, cost -> highestBcryptCost = Math.max(highestBcryptCost, cost));
            List<Auth0UserImport.Outcome> outcomes = new ArrayList<>();
            for (Map.Entry<Integer, JsonNode> line : lines) {
                outcomes.add(step.apply(importer, line.getValue()));
            }
            return outcomes;
        }, "auth0-import");
    }

    private static String reason(RuntimeException e, int lineNumber) {
        if (e instanceof Auth0Line.BadLine) {
            return e.getMessage();
        }
        if (e instanceof org.keycloak.models.ModelDuplicateException) {
            return "another user of the realm has this email or username";
        }
        // a constraint the database enforces (a duplicate within the file, say): the line was rolled back
        LOG.debugf(e, "auth0 import: line %d failed", lineNumber);
        return "the user store refused it (" + e.getClass().getSimpleName() + ")";
    }

    private Response answer(Auth0ImportReport report) {
        if (plainText()) {
            return Response.ok(report.plainText(), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
        }
        return Response.ok(report.json(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private boolean plainText() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        return headers.getAcceptableMediaTypes().stream().findFirst()
                .map(t -> t.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !t.isWildcardType()).orElse(false);
    }
}
