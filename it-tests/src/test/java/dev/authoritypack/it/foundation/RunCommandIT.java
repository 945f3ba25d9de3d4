package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's run command refuses clearly, in one line, when it cannot start. */
class RunCommandIT {

    @BeforeAll
    static void onceNotPerDatabase() {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "run-command checks run once, in the dev-file run");
    }

    record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env) throws Exception {
        Path script = KeycloakServer.projectRoot().resolve("run.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run.sh did not give up within 60 s");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static void assertOneClearLine(Result r, String expected) {
        assertNotEquals(0, r.exit(), r.output());
        List<String> lines = r.output().lines().toList();
        assertEquals(1, lines.size(), "expected one line, got: " + r.output());
        assertTrue(lines.get(0).contains(expected), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = run(Map.of("KC_HTTP_PORT", String.valueOf(port)));
            assertOneClearLine(r, "port " + port + " is already in use");
        }
    }

    @Test
    void javaMissing(@TempDir Path empty) throws Exception {
        Result r = run(Map.of("JAVA_HOME", empty.toString()));
        assertOneClearLine(r, "Java 17 or newer is required");
    }

    @Test
    void javaTooOld(@TempDir Path fakeJdk) throws Exception {
        Path java = Files.createDirectories(fakeJdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
        assertTrue(java.toFile().setExecutable(true));
        Result r = run(Map.of("JAVA_HOME", fakeJdk.toString()));
        assertOneClearLine(r, "is version 11.0.21");
    }

}
