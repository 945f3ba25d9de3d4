package dev.authoritypack.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** The database a test run's Keycloak uses: system property {@code it.db} = {@code dev-file} or {@code postgres}. */
public sealed interface Database {

    String name();

    List<String> serverOptions();

    /** Why this database cannot be used here, or empty when it can. */
    Optional<String> unavailableReason();

    default void create() {
    }

    default void drop() {
    }

    static Database fromSystemProperty() {
        String db = System.getProperty("it.db", "dev-file");
        return switch (db) {
            case "dev-file" -> new DevFile();
            case "postgres" -> new Postgres("127.0.0.1", 5432, "kc_it_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000);
            default -> throw new IllegalArgumentException("it.db must be dev-file or postgres, not " + db);
        };
    }

    /** Keycloak's embedded H2 file database, the development default. */
    record DevFile() implements Database {
        @Override
        public String name() {
            return "dev-file";
        }

        @Override
        public List<String> serverOptions() {
            return List.of("--db=dev-file");
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }
    }

    /** A fresh database per run on the local PostgreSQL (trust authentication, user postgres). */
    record Postgres(String host, int port, String databaseName) implements Database {

        @Override
        public String name() {
            return "postgres";
        }

        public String jdbcUrl(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        @Override
        public List<String> serverOptions() {
            return List.of("--db=postgres", "--db-url=" + jdbcUrl(databaseName), "--db-username=postgres");
        }

        @Override
        public Optional<String> unavailableReason() {
            if (Boolean.getBoolean("it.postgres.skip")) {
                return Optional.of("-Dit.postgres.skip=true: the PostgreSQL run of the suite is skipped");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of("PostgreSQL does not answer on " + host + ":" + port + " (" + e.getMessage()
                        + "); the PostgreSQL run of the suite is skipped");
            }
        }

        @Override
        public void create() {
            admin("CREATE DATABASE " + databaseName);
        }

        @Override
        public void drop() {
            admin("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
        }

        /** Makes the database refuse every connection (and cuts the open ones), or accept them again. */
        public void allowConnections(boolean allow) {
            admin("ALTER DATABASE " + databaseName + " ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName + "'");
            }
        }

        /**
         * Refreshes the planner's statistics of this database ({@code ANALYZE}), as PostgreSQL's autovacuum does as
         * tables grow. This machine's PostgreSQL runs with {@code autovacuum = off} (its conf.d/90-ci.conf): without
         * statistics, Keycloak's lookup of a user by email filtered every user of the realm and the Auth0 import
         * slowed from 8 to 27 ms per user between 1,000 and 20,000 users (docs/load.md).
         */
        public void analyze() {
            try (Connection c = DriverManager.getConnection(jdbcUrl(databaseName), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("ANALYZE");
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL: ANALYZE of " + databaseName + " failed: " + e.getMessage(), e);
            }
        }

        private void admin(String sql) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL: " + sql + " failed: " + e.getMessage(), e);
            }
        }
    }
}
