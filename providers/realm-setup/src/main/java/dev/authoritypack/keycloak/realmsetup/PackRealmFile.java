package dev.authoritypack.keycloak.realmsetup;

import org.keycloak.common.util.StringPropertyReplacer;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pack's realm file (realm-config/authority-realm.json, the one source of the pack's parts) as an apply reads it:
 * sent by {@code ./run.sh apply-pack}, or the copy inside this jar ({@value #BUNDLED}, for an apply at start).
 *
 * <p>Its {@code ${NAME:default}} placeholders are resolved on the server, as {@code --import-realm} resolves them, but
 * only for the names the pack's file uses ({@link #SETTINGS}, the operator's {@code AUTHORITY_*} settings of
 * docs/configuration.md), through Keycloak's {@link StringPropertyReplacer} with a resolver of our own. Keycloak's
 * default resolver would read any environment variable or system property: an administrator of one realm could post
 * {@code ${KC_DB_PASSWORD}} into an attribute and read the server's secrets back. A placeholder naming anything else
 * refuses the whole file.
 */
final class PackRealmFile {

    /** The copy of realm-config/authority-realm.json built into this jar (routes' pom.xml). */
    static final String BUNDLED = "authority-pack/authority-realm.json";

    /** The settings the pack's realm file may name; PackRealmFileTest checks the file names no other. */
    static final Set<String> SETTINGS = Set.of("AUTHORITY_SMTP_HOST", "AUTHORITY_SMTP_PORT", "AUTHORITY_SMTP_FROM",
            "AUTHORITY_SMTP_FROM_NAME", "AUTHORITY_SMTP_STARTTLS", "AUTHORITY_SMTP_SSL", "AUTHORITY_SMTP_AUTH",
            "AUTHORITY_SMTP_USER", "AUTHORITY_VERIFICATION_URI");

    private PackRealmFile() {
    }

    /** The posted file, read; an {@link IllegalArgumentException} says to the administrator what is wrong with it. */
    static RealmRepresentation read(String text) {
        Set<String> refused = new TreeSet<>();
        String resolved = StringPropertyReplacer.replaceProperties(text == null ? "" : text, key -> {
            // Keycloak's replacer asks for "NAME:default" and "A,B" as given before it asks for each name alone
            String names = key.indexOf(':') > 0 ? key.substring(0, key.indexOf(':')) : key;
            for (String name : names.split(",")) {
                if (!SETTINGS.contains(name.trim())) {
                    refused.add(name.trim());
                }
            }
            if (!SETTINGS.contains(key)) {
                return null; // never Keycloak's default resolver: its default (after ':') or the text as it is
            }
            String property = System.getProperty(key);
            return property != null ? property : System.getenv(key);
        });
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("the file names " + refused + "; the pack's realm file may name only its own settings " + new TreeSet<>(SETTINGS));
        }
        RealmRepresentation pack;
        try {
            pack = JsonSerialization.readValue(resolved, RealmRepresentation.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the body is not the pack's realm file (realm-config/authority-realm.json): " + e.getClass().getSimpleName());
        }
        if (pack == null || pack.getAuthenticationFlows() == null || pack.getClients() == null) {
            throw new IllegalArgumentException("the body is not the pack's realm file (realm-config/authority-realm.json): it has no flows or clients");
        }
        return pack;
    }

    /** The file built into this jar: the parts of the installed pack version. */
    static RealmRepresentation bundled() {
        try (InputStream in = PackRealmFile.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the routes jar");
            }
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
