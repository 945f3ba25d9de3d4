package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The theme's message bundles against each other and against the code that names their keys (docs/pages.md,
 * Languages): every language of a bundle has the same keys; every key the providers' Java code names — written as
 * {@code PackPage.key("…")} or {@code PackPage.message(session, "…", …)} — and every {@code authority.*} key a login
 * template names ({@code msg("…")}) is in every language; a literal of the Java code that is a key of the bundle but
 * not written that way fails too (so a key cannot slip past the check); and every text is a valid
 * {@link MessageFormat} pattern (Keycloak formats each one: an apostrophe is written {@code ''}).
 *
 * <p>Reads the sources from the repository (this module is {@code providers/common}).
 */
class MessageBundlesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    private static final Path THEME = ROOT.resolve("themes/src/main/resources/theme/authority");
    private static final Pattern KEY_CALL = Pattern.compile("PackPage\\.key\\(\\s*\"([A-Za-z][\\w.-]*)\"\\s*\\)");
    private static final Pattern MESSAGE_CALL = Pattern.compile("PackPage\\.message\\(\\s*[A-Za-z_][\\w.()]*\\s*,\\s*\"([A-Za-z][\\w.-]*)\"");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern TEMPLATE_KEY = Pattern.compile("msg\\(\\s*\"(authority\\.[^\"]*)\"");

    @Test
    void everyLanguageOfABundleHasTheSameKeys() throws IOException {
        for (String bundle : List.of("login/messages", "email/messages")) {
            Map<String, Properties> languages = languages(bundle);
            assertTrue(languages.size() >= 2, bundle + ": English and German at least, found " + languages.keySet());
            Set<String> all = new TreeSet<>();
            languages.values().forEach(p -> all.addAll(p.stringPropertyNames()));
            List<String> missing = new ArrayList<>();
            languages.forEach((file, p) -> all.stream().filter(k -> !p.containsKey(k)).forEach(k -> missing.add(file + " lacks " + k)));
            assertEquals(List.of(), missing, bundle);
        }
    }

    @Test
    void everyTextIsAMessageFormatPattern() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String bundle : List.of("login/messages", "email/messages")) {
            languages(bundle).forEach((file, p) -> p.stringPropertyNames().forEach(key -> {
                String text = p.getProperty(key);
                if (text.replace("''", "").contains("'")) {
                    wrong.add(file + " " + key + ": a single ' quotes the rest of the text in MessageFormat; write ''");
                }
                try {
                    new MessageFormat(text);
                } catch (IllegalArgumentException e) {
                    wrong.add(file + " " + key + ": " + e.getMessage());
                }
            }));
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyKeyTheJavaCodeNamesIsInEveryLanguage() throws IOException {
        Map<String, Properties> languages = languages("login/messages");
        Set<String> named = new TreeSet<>();
        List<String> unmarked = new ArrayList<>();
        Set<String> bundleKeys = new TreeSet<>();
        languages.values().forEach(p -> bundleKeys.addAll(p.stringPropertyNames()));
        for (Path source : javaSources()) {
            String code = Files.readString(source);
            String rest = code;
            for (Pattern call : List.of(KEY_CALL, MESSAGE_CALL)) {
                Matcher m = call.matcher(rest);
                while (m.find()) {
                    named.add(m.group(1));
                }
                rest = call.matcher(rest).replaceAll("");
            }
            Matcher literal = STRING_LITERAL.matcher(rest);
            while (literal.find()) {
                if (bundleKeys.contains(literal.group(1))) {
                    unmarked.add(ROOT.relativize(source) + ": \"" + literal.group(1) + "\" is a message key; write PackPage.key(\"…\")");
                }
            }
        }
        assertTrue(named.size() >= 20 && named.contains("authority.signin.invalid") && named.contains("authority.mfa.locked"),
                "the scan finds the keys the providers name: " + named);
        List<String> problems = new ArrayList<>(missingFrom(languages, named));
        problems.addAll(unmarked);
        assertEquals(List.of(), problems, "keys the Java code names");
    }

    @Test
    void everyKeyTheLoginTemplatesNameIsInEveryLanguage() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.list(THEME.resolve("login"))) {
            for (Path template : files.filter(f -> f.toString().endsWith(".ftl")).toList()) {
                Matcher m = TEMPLATE_KEY.matcher(Files.readString(template));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertTrue(named.contains("authority.signin.submit"), "the scan finds the templates' keys: " + named);
        assertEquals(List.of(), missingFrom(languages("login/messages"), named), "keys the login templates name");
    }

    private static List<String> missingFrom(Map<String, Properties> languages, Set<String> keys) {
        List<String> missing = new ArrayList<>();
        languages.forEach((file, p) -> keys.stream().filter(k -> !p.containsKey(k)).forEach(k -> missing.add(file + " lacks " + k)));
        return missing;
    }

    /** The {@code messages_<lang>.properties} of a bundle folder of the theme, by file name. */
    private static Map<String, Properties> languages(String bundle) throws IOException {
        Map<String, Properties> languages = new TreeMap<>();
        try (Stream<Path> files = Files.list(THEME.resolve(bundle))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("messages_[A-Za-z_-]+\\.properties")).toList()) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                languages.put(bundle + "/" + file.getFileName(), p);
            }
        }
        return languages;
    }

    /** The Java sources of every provider module ({@code providers/*}/src/main/java). */
    private static List<Path> javaSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT.resolve("providers"))) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        assertTrue(sources.size() > 50, "the providers' sources are found under " + ROOT);
        return sources;
    }
}
