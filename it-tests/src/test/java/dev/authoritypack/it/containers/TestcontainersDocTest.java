package dev.authoritypack.it.containers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/testcontainers.md shows the code the suite runs: its Java example is the {@code example:begin}..{@code end}
 * part of {@link PackContainerIT} (with imports that class has), its JSON the file the example reads, its Maven
 * versions those of it-tests/pom.xml, its image the pack's Keycloak version.
 */
class TestcontainersDocTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = MODULE.getParent();
    private static final String EXAMPLE_CLASS_LINE = "class MyAppKeycloakIT {";

    private static String read(Path path) throws IOException {
        return Files.readString(path);
    }

    private static String doc() throws IOException {
        return read(ROOT.resolve("docs/testcontainers.md"));
    }

    private static String itSource() throws IOException {
        return read(MODULE.resolve("src/test/java/dev/authoritypack/it/containers/PackContainerIT.java"));
    }

    /** The fenced blocks of a language, in order. */
    private static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```$", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String onlyBlock(String language) throws IOException {
        List<String> blocks = blocks(doc(), language);
        assertEquals(1, blocks.size(), "one ```" + language + " block in docs/testcontainers.md");
        return blocks.get(0);
    }

    @Test
    void theJavaExampleIsTheStartOfPackContainerIT() throws IOException {
        String source = itSource();
        String region = source.split("    // example:begin\n", 2)[1].split("    // example:end\n", 2)[0];
        String example = onlyBlock("java");
        int body = example.indexOf(EXAMPLE_CLASS_LINE + "\n\n");
        assertTrue(body >= 0, "the example declares " + EXAMPLE_CLASS_LINE);
        assertTrue(example.endsWith("}\n"), "the example ends its class");
        String quoted = example.substring(body + EXAMPLE_CLASS_LINE.length() + 2, example.length() - 2);
        assertEquals(region, quoted, "docs/testcontainers.md quotes PackContainerIT between example:begin and example:end verbatim");
    }

    @Test
    void theJavaExampleImportsWhatPackContainerITImports() throws IOException {
        String source = itSource();
        List<String> imports = matches("(?m)^import .*;$", onlyBlock("java"));
        assertFalse(imports.isEmpty());
        for (String line : imports) {
            assertTrue(source.contains("\n" + line + "\n"), "PackContainerIT has " + line);
        }
    }

    @Test
    void theJsonIsTheFileTheExampleReads() throws IOException {
        assertEquals(read(MODULE.resolve("src/test/containers/my-app.json")), onlyBlock("json"));
    }

    @Test
    void theMavenVersionsAreTheOnesTheSuiteUses() throws IOException {
        String pom = read(MODULE.resolve("pom.xml"));
        String dependencies = onlyBlock("xml");
        for (String artifact : List.of("testcontainers-keycloak", "testcontainers-junit-jupiter")) {
            assertEquals(version(pom, artifact), version(dependencies, artifact), artifact);
        }
    }

    @Test
    void everyImageNamedIsThePacksKeycloakVersion() throws IOException {
        Matcher pinned = Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>").matcher(read(ROOT.resolve("pom.xml")));
        assertTrue(pinned.find());
        List<String> images = matches("quay\\.io/keycloak/keycloak:[0-9][^\\s\"`)]*", doc());
        assertFalse(images.isEmpty());
        for (String image : images) {
            assertEquals("quay.io/keycloak/keycloak:" + pinned.group(1), image, "docs/testcontainers.md names the pom's Keycloak version");
        }
    }

    private static String version(String xml, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>").matcher(xml);
        assertTrue(m.find(), artifactId + " with its version");
        return m.group(1);
    }

    private static List<String> matches(String regex, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
