package dev.authoritypack.it.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Starts one Keycloak per test run (per failsafe execution), shared by every test class, and stops it when
 * the run ends, also when tests fail or the JVM is interrupted.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == AdminApi.class || type == Http.class || type == MailServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = running(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == KeycloakServer.class) {
            return running.server;
        }
        if (type == AdminApi.class) {
            return running.admin;
        }
        if (type == MailServer.class) {
            return running.mail;
        }
        return new Http(running.server.baseUri());
    }

    private static Running running(ExtensionContext context) {
        Running running = context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
        if (running.skipReason != null) {
            throw new TestAbortedException(running.skipReason);
        }
        return running;
    }

    /** The server of this run; closed by JUnit when the root context closes. */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        final KeycloakServer server;
        final AdminApi admin;
        final MailServer mail;
        final String skipReason;
        private final Thread shutdownHook;

        private Running(KeycloakServer server, AdminApi admin, MailServer mail, String skipReason) {
            this.server = server;
            this.admin = admin;
            this.mail = mail;
            this.skipReason = skipReason;
            this.shutdownHook = server == null ? null : new Thread(server::stop, "stop-keycloak");
            if (shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        }

        static Running start() {
            Database db = Database.fromSystemProperty();
            String reason = db.unavailableReason().orElse(null);
            if (reason != null && !Boolean.getBoolean("it.postgres.skip") && "1".equals(System.getenv("AUTHORITY_IT_POSTGRES_REQUIRED"))) {
                // set by .ci/run, which installs and starts PostgreSQL: a skipped run (and with it the cluster and
                // image tests) would leave CI green without them
                throw new IllegalStateException("AUTHORITY_IT_POSTGRES_REQUIRED=1 but " + reason);
            }
            if (reason != null) {
                System.err.println("[it-tests] SKIPPED: " + reason);
                return new Running(null, null, null, reason);
            }
            db.create();
            MailServer mail = new MailServer();
            KeycloakServer server = new KeycloakServer(db, mail);
            try {
                server.startFresh();
            } catch (RuntimeException e) {
                server.stop();
                mail.stop();
                db.drop();
                throw e;
            }
            System.err.println("[it-tests] Keycloak (" + db.name() + ") at " + server.baseUri() + ", log " + server.logFile());
            return new Running(server, new AdminApi(server), mail, null);
        }

        @Override
        public void close() {
            if (server == null) {
                return;
            }
            server.stop();
            mail.stop();
            server.database().drop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
