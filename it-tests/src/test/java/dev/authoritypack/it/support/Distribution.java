package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Keycloak distribution prepared as the Dockerfile does it, without Docker: a copy of the unpacked
 * {@code keycloak-quarkus-dist}, the pack's jars in {@code providers/} and the realm in {@code data/import/} (or
 * neither, for stock Keycloak), then {@code kc.sh build} with the given options, ready for {@code start --optimized}.
 */
public final class Distribution {

    private Distribution() {
    }

    /** Copies the unpacked distribution (without its data) to {@code home}, installs the pack if asked, builds it. */
    public static Path build(Path home, boolean withPack, List<String> buildOptions, Path log) {
        try {
            KeycloakServer.deleteRecursively(home);
            copyTree(Path.of(System.getProperty("keycloak.dist.dir")), home, p -> !p.startsWith("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (withPack) {
            KeycloakServer.installPack(home);
        }
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(buildOptions);
        run(command, log);
        return home;
    }

    private static final Map<List<String>, Path> BUILT = new HashMap<>();

    /**
     * A distribution with the pack, built with these options once per test run (each {@code kc.sh build} takes a
     * minute), copied to {@code home} for a server of its own: ProductionStartWithoutMailIT and deployment/TlsProxyIT
     * share one build. The built copy is never started, so its {@code data/} holds only the realm to import.
     */
    public static synchronized Path builtCopy(Path home, List<String> buildOptions) {
        Path built = BUILT.computeIfAbsent(List.copyOf(buildOptions), options -> {
            Path dir = Path.of(System.getProperty("keycloak.dist.dir")).getParent()
                    .resolve("built-" + Integer.toHexString(String.join(" ", options).hashCode()));
            return build(dir.resolve("keycloak"), true, options, dir.resolve("build.log"));
        });
        try {
            KeycloakServer.deleteRecursively(home);
            copyTree(built, home, p -> true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    /** Runs a command to its end (at most five minutes) with Keycloak's settings of this JVM's environment removed. */
    public static void run(List<String> command, Path log) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("KC_"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = builder.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies a tree, keeping file times; {@code include} sees paths relative to {@code from}. */
    public static void copyTree(Path from, Path to, Predicate<Path> include) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path relative = from.relativize(p);
                if (!relative.toString().isEmpty() && !include.test(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
