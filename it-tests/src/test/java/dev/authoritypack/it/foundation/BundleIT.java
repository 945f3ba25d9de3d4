package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release bundle as an operator downloads it (distribution/pom.xml builds it; docs/upgrading.md "The release
 * bundle"): one top folder, sums that verify, one jar per module of providers/ plus the theme, no third-party
 * classes inside them, and the very files the tests, docker/Dockerfile and run.sh install. Reads files only: no server.
 */
class BundleIT {

    private static final Path ROOT = KeycloakServer.projectRoot();
    private static final String NAME = System.getProperty("pack.bundle.name");
    private static final String TOP = NAME + "/";

    /** Entry name below the top folder → its bytes. */
    private static final Map<String, byte[]> FILES = new TreeMap<>();

    @BeforeAll
    static void readTheZip() throws IOException {
        Path zip = Path.of(System.getProperty("pack.bundle.zip"));
        assertTrue(Files.isRegularFile(zip), "./mvnw package did not make " + zip);
        assertEquals(NAME + ".zip", zip.getFileName().toString());
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                assertTrue(e.getName().startsWith(TOP), "the bundle's files are all in " + TOP + ": " + e.getName());
                if (!e.isDirectory()) {
                    try (InputStream in = z.getInputStream(e)) {
                        FILES.put(e.getName().substring(TOP.length()), in.readAllBytes());
                    }
                }
            }
        }
    }

    private static String text(String name) {
        byte[] bytes = FILES.get(name);
        assertNotNull(bytes, "the bundle has no " + name + ": " + FILES.keySet());
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA256SUMS as {@code sha256sum -c} reads it: "<hex>  <path>" per line. */
    private static Map<String, String> sums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : text("SHA256SUMS").split("\n")) {
            Matcher m = Pattern.compile("([0-9a-f]{64})  (\\S+)").matcher(line);
            assertTrue(m.matches(), "not a sha256sum line: '" + line + "'");
            sums.put(m.group(2), m.group(1));
        }
        return sums;
    }

    @Test
    void theSumsListEveryFileAndVerify() {
        Map<String, String> sums = sums();
        TreeSet<String> expected = new TreeSet<>(FILES.keySet());
        expected.remove("SHA256SUMS");
        assertEquals(expected, new TreeSet<>(sums.keySet()), "SHA256SUMS lists exactly the bundle's other files");
        sums.forEach((file, sum) -> assertEquals(sum, sha256(FILES.get(file)), "SHA256SUMS does not verify " + file));
    }

    @Test
    void itsJarsAreTheModulesOfProvidersAndTheTheme() throws IOException {
        TreeSet<String> expected = new TreeSet<>(List.of("authority-theme.jar"));
        try (Stream<Path> dirs = Files.list(ROOT.resolve("providers"))) {
            for (Path pom : dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList()) {
                Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(Files.readString(pom));
                assertTrue(m.find(), pom + " names no artifactId");
                expected.add(m.group(1) + ".jar");
            }
        }
        TreeSet<String> jars = new TreeSet<>();
        for (String file : FILES.keySet()) {
            if (file.endsWith(".jar")) {
                assertTrue(file.startsWith("providers/"), "a jar outside providers/: " + file);
                jars.add(file.substring("providers/".length()));
            }
        }
        assertTrue(expected.size() >= 11, "providers/ lists " + expected);
        assertEquals(expected, jars, "the bundle's jars are one per module of providers/ and the theme");
    }

    /** No shaded library: every class of every jar is the pack's own (Keycloak provides the rest). */
    @Test
    void itsJarsCarryOnlyThePacksClasses() throws IOException {
        for (Map.Entry<String, byte[]> jar : FILES.entrySet()) {
            if (!jar.getKey().endsWith(".jar")) {
                continue;
            }
            List<String> foreign = new ArrayList<>();
            try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar.getValue()))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    String n = e.getName();
                    boolean ours = n.endsWith("/") || n.startsWith("dev/authoritypack/") || n.startsWith("theme/")
                            || n.startsWith("openapi/") || n.startsWith("META-INF/")
                            || n.equals("authority-pack/authority-realm.json"); // realm-setup's copy of the realm file, checked below
                    boolean foreignLibrary = !n.endsWith("/") && n.startsWith("META-INF/maven/") && !n.startsWith("META-INF/maven/dev.authoritypack/");
                    if (!ours || foreignLibrary) {
                        foreign.add(n);
                    }
                }
            }
            assertTrue(foreign.isEmpty(), jar.getKey() + " carries files that are not the pack's: " + foreign);
        }
    }

    @Test
    void itsRealmPartsAreTheRealmFileAndScriptWithoutDevelopmentData() throws IOException {
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("realm-config/authority-realm.json")), FILES.get("realm/authority-realm.json"),
                "realm/authority-realm.json is realm-config/authority-realm.json");
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(FILES.get("providers/authority-realm-setup.jar")))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null && !e.getName().equals("authority-pack/authority-realm.json")) {
                // to the copy the apply at start reads
            }
            assertTrue(e != null, "authority-realm-setup.jar carries the realm file for the apply at start");
            assertArrayEquals(Files.readAllBytes(ROOT.resolve("realm-config/authority-realm.json")), in.readAllBytes(),
                    "the jar's copy is realm-config/authority-realm.json");
        }
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("realm-config/pack-realm.sh")), FILES.get("realm/pack-realm.sh"),
                "realm/pack-realm.sh (apply the pack to an existing realm) is realm-config/pack-realm.sh");
        assertTrue(FILES.keySet().stream().noneMatch(f -> f.contains("users") || f.contains("clients")),
                "development data (realm-config/dev/) is never shipped: " + FILES.keySet());
    }

    /** The Keycloak lines are in the bundle's name and its VERSION file; the change log has the version's entry. */
    @Test
    void versionAndChangeLogNameTheVersionAndItsKeycloakLines() {
        String version = System.getProperty("pack.version");
        String[] lines = text("VERSION").trim().split("\n");
        assertEquals("pack " + version, lines[0]);
        assertTrue(lines[1].startsWith("keycloak "), lines[1]);
        List<String> keycloakLines = List.of(lines[1].substring("keycloak ".length()).split(" "));
        assertEquals("authority-pack-" + version + "-kc" + keycloakLines.get(0) + "-" + keycloakLines.get(keycloakLines.size() - 1), NAME,
                "the bundle's name says the oldest and newest Keycloak line of VERSION");
        assertTrue(keycloakLines.contains(System.getProperty("keycloak.version").replaceAll("^(\\d+\\.\\d+).*", "$1")),
                "the line the pack is built against is supported: " + keycloakLines);

        assertTrue(text("LICENSE").contains("Apache License") && text("LICENSE").contains("Version 2.0"), "the bundle carries the pack's licence");
        String changelog = text("CHANGELOG.md");
        String release = version.replace("-SNAPSHOT", "");
        Matcher entry = Pattern.compile("(?ms)^## " + Pattern.quote(release) + "\\b(.*?)(?=^## |\\z)").matcher(changelog);
        assertTrue(entry.find(), "CHANGELOG.md has no entry '## " + release + "'");
        for (String file : FILES.keySet()) {
            if (file.endsWith(".jar")) {
                assertTrue(entry.group(1).contains(file.substring("providers/".length())), "the " + release + " entry does not list " + file);
            }
        }
    }

    /** What is tested is what is shipped: the tests' jars, and what docker/Dockerfile and run.sh copy, are the bundle's. */
    @Test
    void theTestsTheImageAndRunShInstallTheBundlesFiles() throws IOException {
        Map<String, String> sums = sums();
        assertInstalledFrom(Path.of(System.getProperty("pack.providers.dir")), "providers/", sums);
        assertInstalledFrom(ROOT.resolve("distribution/target/pack/providers"), "providers/", sums);
        assertInstalledFrom(Path.of(System.getProperty("pack.bundle.dir")).resolve("realm"), "realm/", sums);
        assertInstalledFrom(ROOT.resolve("distribution/target/pack/realm"), "realm/", sums);
    }

    private static void assertInstalledFrom(Path dir, String prefix, Map<String, String> sums) throws IOException {
        TreeSet<String> shipped = new TreeSet<>();
        sums.keySet().stream().filter(f -> f.startsWith(prefix)).forEach(f -> shipped.add(f.substring(prefix.length())));
        TreeSet<String> installed = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                installed.add(name);
                assertEquals(sums.get(prefix + name), sha256(Files.readAllBytes(f)), f + " is not the bundle's " + prefix + name);
            }
        }
        assertFalse(installed.isEmpty(), dir + " is empty");
        assertEquals(shipped, installed, dir + " holds the bundle's " + prefix + " files, no other");
    }
}
