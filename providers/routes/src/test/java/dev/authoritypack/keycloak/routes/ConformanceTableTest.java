package dev.authoritypack.keycloak.routes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/conformance.md lists every promise of the API documents with the tests that prove it. This test keeps the
 * table honest: every row names at least one test (or says with {@code —} why there is none), every named test
 * class and method exists in the repository's test sources, and every route of {@link DocumentedRoute} has a row.
 */
class ConformanceTableTest {

    private static final Pattern ROW_ID = Pattern.compile("C\\d{3}");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern TEST_NAME = Pattern.compile("([A-Z][A-Za-z0-9_]*)(?:#([a-z][A-Za-z0-9_]*))?");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(?:class|record|enum|interface)\\s+([A-Z][A-Za-z0-9_]*)");
    private static final Pattern VOID_METHOD = Pattern.compile("\\bvoid\\s+([a-z][A-Za-z0-9_]*)\\s*\\(");

    private static Path repository;
    private static List<Row> rows;

    record Row(String id, List<String> cells, int line) {
        String route() {
            return cells.get(1);
        }

        String test() {
            return cells.get(cells.size() - 1);
        }
    }

    @BeforeAll
    static void read() throws IOException {
        // under surefire the working directory is the module's base directory: providers/routes
        Path module = Path.of(System.getProperty("user.dir"));
        repository = module.resolve("../..").normalize();
        Path table = repository.resolve("docs/conformance.md");
        assertTrue(Files.isRegularFile(table), "the conformance table is missing: expected " + table
                + " (resolved from the module directory " + module + " as ../../docs/conformance.md)");
        rows = rows(Files.readAllLines(table));
        assertFalse(rows.isEmpty(), "docs/conformance.md has no rows | C001 | … |");
    }

    /** The table's rows: lines that start with {@code | C}, cut at unescaped pipes. */
    static List<Row> rows(List<String> lines) {
        List<Row> found = new ArrayList<>();
        int columns = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("| # |")) {
                columns = cells(line).size();
                assertEquals("route", cells(line).get(1), "docs/conformance.md: the second column must be `route`");
                assertEquals("test", cells(line).get(columns - 1), "docs/conformance.md: the last column must be `test`");
            } else if (line.startsWith("| C")) {
                List<String> cells = cells(line);
                assertTrue(columns > 0, "docs/conformance.md line " + (i + 1) + ": a row before the header `| # | route | … | test |`");
                assertEquals(columns, cells.size(), "docs/conformance.md line " + (i + 1) + " has " + cells.size()
                        + " cells, the header " + columns + " (a `|` inside a cell must be written `\\|`): " + line);
                found.add(new Row(cells.get(0), cells, i + 1));
            }
        }
        return found;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    /** Class name → the names of the {@code void} methods of the file that declares it. */
    private static Map<String, Set<String>> testMethods() throws IOException {
        List<Path> roots = new ArrayList<>();
        roots.add(repository.resolve("it-tests/src/test/java"));
        try (Stream<Path> modules = Files.list(repository.resolve("providers"))) {
            modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).forEach(roots::add);
        }
        Map<String, Set<String>> methods = new HashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Set<String> inFile = new HashSet<>();
                    Matcher m = VOID_METHOD.matcher(source);
                    while (m.find()) {
                        inFile.add(m.group(1));
                    }
                    Matcher types = TYPE_DECLARATION.matcher(source);
                    while (types.find()) {
                        methods.computeIfAbsent(types.group(1), k -> new HashSet<>()).addAll(inFile);
                    }
                }
            }
        }
        assertTrue(methods.containsKey("ConformanceTableTest"), "the scan of the test sources found nothing under " + roots);
        return methods;
    }

    @Test
    void everyRowHasAStableUniqueId() {
        Set<String> seen = new HashSet<>();
        for (Row row : rows) {
            assertTrue(ROW_ID.matcher(row.id()).matches(), "docs/conformance.md line " + row.line() + ": the id `" + row.id()
                    + "` is not of the form C001");
            assertTrue(seen.add(row.id()), "docs/conformance.md: the id " + row.id() + " is used twice");
        }
    }

    @Test
    void everyRowNamesTestsThatExist() throws IOException {
        Map<String, Set<String>> methods = testMethods();
        List<String> problems = new ArrayList<>();
        for (Row row : rows) {
            String test = row.test();
            if (test.startsWith("—")) {
                String reason = test.substring(1).strip();
                if (reason.length() < 10) {
                    problems.add(row.id() + ": `—` without a reason why no test proves it");
                }
                continue;
            }
            Matcher named = BACKTICKED.matcher(test);
            int count = 0;
            while (named.find()) {
                count++;
                String name = named.group(1);
                Matcher m = TEST_NAME.matcher(name);
                if (!m.matches()) {
                    problems.add(row.id() + ": `" + name + "` is not ClassName or ClassName#methodName");
                } else if (!methods.containsKey(m.group(1))) {
                    problems.add(row.id() + ": no test class " + m.group(1) + " in it-tests/src/test/java or providers/*/src/test/java");
                } else if (m.group(2) != null && !methods.get(m.group(1)).contains(m.group(2))) {
                    problems.add(row.id() + ": " + m.group(1) + " has no method void " + m.group(2) + "(");
                }
            }
            if (count == 0) {
                problems.add(row.id() + ": names no test (`ClassName#methodName`, or `—` and the reason)");
            }
        }
        assertTrue(problems.isEmpty(), "docs/conformance.md:\n" + String.join("\n", problems));
    }

    @Test
    void everyRouteOfTheRouteTableHasARow() {
        Set<String> documented = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        DocumentedRoute.all().forEach(r -> paths.add(r.path()));
        for (Row row : rows) {
            if (row.route().equals("—")) {
                continue;
            }
            Matcher named = BACKTICKED.matcher(row.route());
            int count = 0;
            while (named.find()) {
                count++;
                if (paths.contains(named.group(1))) {
                    documented.add(named.group(1));
                } else {
                    problems.add(row.id() + ": `" + named.group(1) + "` is no path of DocumentedRoute");
                }
            }
            if (count == 0) {
                problems.add(row.id() + ": the route cell is neither `—` nor a `/path`");
            }
        }
        for (DocumentedRoute route : DocumentedRoute.all()) {
            if (!documented.contains(route.path())) {
                problems.add(route + " (" + route.path() + ") has no row");
            }
        }
        assertTrue(problems.isEmpty(), "docs/conformance.md:\n" + String.join("\n", problems));
    }
}
