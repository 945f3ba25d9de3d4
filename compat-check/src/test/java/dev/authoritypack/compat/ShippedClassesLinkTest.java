package dev.authoritypack.compat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classes the pack ships (providers/&#42;/target/classes, compiled against the main Keycloak) link on the oldest
 * supported Keycloak, whose jars are this module's classpath: every class, method and field of {@code org.keycloak}
 * their constant pools name is found there, as the JVM looks it up (the class, its superclasses, its interfaces; the
 * exact descriptor). The compile of this module checks the sources; this checks the bytes: a Keycloak method whose
 * parameter type changed between lines (source-compatible, not binary-compatible) is a NoSuchMethodError on a user's
 * server that only this finds. See docs/upgrading.md, "Keycloak lines".
 */
class ShippedClassesLinkTest {

    private static final String OLDEST = System.getProperty("keycloak.oldest.version");

    @Test
    void theClasspathIsTheOldestSupportedKeycloak() {
        assertEquals(OLDEST, org.keycloak.common.Version.VERSION);
    }

    @Test
    void everyKeycloakMemberThePackNamesExistsThere() throws IOException {
        Path providers = Path.of(System.getProperty("pack.providers.dir"));
        Set<String> missing = new TreeSet<>();
        int classes = 0;
        int references = 0;
        try (Stream<Path> walk = Files.walk(providers)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class") && p.toString().contains("/target/classes/")).toList()) {
                classes++;
                for (String[] ref : references(Files.readAllBytes(file))) {
                    if (ref[1].startsWith("org/keycloak/")) {
                        references++;
                        String why = unresolved(ref);
                        if (why != null) {
                            missing.add(why + ": " + ref[1].replace('/', '.') + (ref[2].isEmpty() ? "" : "." + ref[2] + ref[3])
                                    + " (" + providers.relativize(file) + ")");
                        }
                    }
                }
            }
        }
        assertTrue(classes > 100 && references > 500, "the pack's compiled classes were not found under " + providers
                + " (" + classes + " classes, " + references + " references): build the providers first");
        assertTrue(missing.isEmpty(), missing.size() + " references of the pack's classes do not link on Keycloak " + OLDEST
                + " (a NoSuchMethodError there; use a form every line has, or a seam in common's KeycloakLines):\n  "
                + String.join("\n  ", missing));
    }

    /** Null when the reference resolves, else why not. */
    private static String unresolved(String[] ref) {
        Class<?> owner;
        try {
            owner = Class.forName(ref[1].replace('/', '.'), false, ShippedClassesLinkTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "no class";
        } catch (LinkageError e) {
            return "class not loadable here (" + e + "; add the library it needs to compat-check/pom.xml)";
        }
        switch (ref[0]) {
            case "class":
                return null;
            case "field":
                for (Class<?> c : lookupOrder(owner)) {
                    for (Field f : c.getDeclaredFields()) {
                        if (f.getName().equals(ref[2]) && descriptor(f.getType()).equals(ref[3])) {
                            return null;
                        }
                    }
                }
                return "no field";
            default:
                if (ref[2].equals("<init>")) {
                    for (Constructor<?> c : owner.getDeclaredConstructors()) {
                        if (descriptor(c.getParameterTypes(), void.class).equals(ref[3])) {
                            return null;
                        }
                    }
                    return "no constructor";
                }
                for (Class<?> c : lookupOrder(owner)) {
                    for (Method m : c.getDeclaredMethods()) {
                        if (m.getName().equals(ref[2]) && descriptor(m.getParameterTypes(), m.getReturnType()).equals(ref[3])) {
                            return null;
                        }
                    }
                }
                return "no method";
        }
    }

    /** The class, its superclasses and all their interfaces (JVMS 5.4.3.3/4), Object last. */
    private static List<Class<?>> lookupOrder(Class<?> owner) {
        List<Class<?>> order = new ArrayList<>();
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(owner));
        while (!queue.isEmpty()) {
            Class<?> c = queue.poll();
            if (!order.contains(c)) {
                order.add(c);
                if (c.getSuperclass() != null) {
                    queue.add(c.getSuperclass());
                }
                queue.addAll(List.of(c.getInterfaces()));
            }
        }
        order.add(Object.class);
        return order;
    }

    private static String descriptor(Class<?>[] parameters, Class<?> result) {
        StringBuilder d = new StringBuilder("(");
        for (Class<?> p : parameters) {
            d.append(descriptor(p));
        }
        return d.append(')').append(descriptor(result)).toString();
    }

    private static String descriptor(Class<?> type) {
        if (type.isArray()) {
            return type.getName().replace('.', '/');
        }
        if (!type.isPrimitive()) {
            return "L" + type.getName().replace('.', '/') + ";";
        }
        return switch (type.getName()) {
            case "void" -> "V";
            case "int" -> "I";
            case "long" -> "J";
            case "boolean" -> "Z";
            case "byte" -> "B";
            case "char" -> "C";
            case "short" -> "S";
            case "float" -> "F";
            default -> "D";
        };
    }

    /**
     * The class, field and method references of a class file's constant pool (JVMS 4.4), each as
     * {kind, owner, name, descriptor}.
     */
    static List<String[]> references(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.readInt(); // magic
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two entries
                }
                case 7, 8, 16, 19, 20 -> pool[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> pool[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String[]> refs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7) {
                String name = (String) pool[(Integer) pool[i]];
                if (!name.startsWith("[")) {
                    refs.add(new String[] {"class", name, "", ""});
                }
            } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                int[] ref = (int[]) pool[i];
                int[] nameAndType = (int[]) pool[ref[1]];
                refs.add(new String[] {tags[i] == 9 ? "field" : "method", (String) pool[(Integer) pool[ref[0]]],
                        (String) pool[nameAndType[0]], (String) pool[nameAndType[1]]});
            }
        }
        return refs;
    }
}
