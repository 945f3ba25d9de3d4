package dev.authoritypack.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./run.sh apply-pack|remove-pack REALM ...} against a server, as docs/existing-keycloak.md shows it (the
 * operator's environment: {@code AUTHORITY_URL} and the bootstrap admin; nothing else of this JVM's {@code KC_*} or
 * {@code AUTHORITY_*}).
 */
public final class PackRealmCommand {

    private PackRealmCommand() {
    }

    public record Result(int exit, String output) {
    }

    public static Result run(URI server, String command, String... args) {
        List<String> line = new ArrayList<>(List.of("bash", KeycloakServer.projectRoot().resolve("run.sh").toString(), command));
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        pb.environment().put("AUTHORITY_URL", server.toString());
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
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

    /** The command, which must succeed (exit status 0); its report. */
    public static String succeed(URI server, String command, String... args) {
        Result r = run(server, command, args);
        assertEquals(0, r.exit(), "run.sh " + command + " " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }
}
