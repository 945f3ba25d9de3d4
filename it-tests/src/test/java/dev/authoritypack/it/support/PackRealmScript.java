package dev.authoritypack.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./run.sh apply-pack|remove-pack REALM ...} (realm-config/pack-realm.sh) against a server of the run, as
 * docs/existing-keycloak.md shows it: the operator's environment cleared of {@code KC_*}/{@code AUTHORITY_*}, then
 * only the server's address and the bootstrap administrator.
 */
public final class PackRealmScript {

    /** The script's exit status and everything it printed. */
    public record Result(int exit, String output) {
        public boolean changedNothing() {
            return output.trim().endsWith("changes: 0");
        }
    }

    private final java.net.URI server;

    public PackRealmScript(java.net.URI server) {
        this.server = server;
    }

    /** The command, which must succeed (exit status 0); its report. */
    public String succeed(String command, String... args) {
        Result r = run(command, args);
        assertEquals(0, r.exit(), "run.sh " + command + " " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }

    /**
     * Waits, at most 30 s, for what an apply or removal changes in the pack's Vert.x handlers: each node keeps a realm's
     * opt-in for 5 s (common's PackRealms), the pack's resources see it at once.
     */
    public static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 30 s for " + what);
            KeycloakServer.sleep(250);
        }
    }

    public Result run(String command, String... args) {
        return run(Map.of(), command, args);
    }

    public Result run(Map<String, String> env, String command, String... args) {
        List<String> line = new ArrayList<>(List.of("bash", KeycloakServer.projectRoot().resolve("run.sh").toString(), command));
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        pb.environment().put("AUTHORITY_URL", server.toString());
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run.sh " + command + " did not end within 60 s");
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
