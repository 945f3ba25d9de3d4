package dev.authoritypack.keycloak.realmsetup;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an apply resolves of a posted realm file: the pack's own settings, never another variable of the server. */
class PackRealmFileTest {

    private static final String PACK_FILE = "realm-config/authority-realm.json";

    private static String packFile() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve(PACK_FILE))) {
            dir = dir.getParent();
        }
        return Files.readString(dir.resolve(PACK_FILE));
    }

    @Test
    void thePacksFileNamesOnlyItsOwnSettingsAndIsTheOneInTheJar() throws IOException {
        RealmRepresentation read = PackRealmFile.read(packFile());
        RealmRepresentation bundled = PackRealmFile.bundled();
        assertEquals(read.getAuthenticationFlows().size(), bundled.getAuthenticationFlows().size());
        assertEquals(read.getAttributes(), bundled.getAttributes());
    }

    @Test
    void aSettingOfThePackIsResolvedAndItsDefaultUsedWhenUnset() throws IOException {
        String file = packFile().replace("\"CreateDefaultClientScopes\": \"true\"",
                "\"CreateDefaultClientScopes\": \"true\", \"probe\": \"${AUTHORITY_VERIFICATION_URI:unset}\"");
        assertEquals("unset", PackRealmFile.read(file).getAttributes().get("probe"));
        System.setProperty("AUTHORITY_VERIFICATION_URI", "https://auth.example.com/activate");
        try {
            assertEquals("https://auth.example.com/activate", PackRealmFile.read(file).getAttributes().get("probe"));
        } finally {
            System.clearProperty("AUTHORITY_VERIFICATION_URI");
        }
    }

    @Test
    void anyOtherVariableOfTheServerRefusesTheFileUnread() throws IOException {
        System.setProperty("AUTHORITY_PROBE_SECRET", "s3cret");
        try {
            for (String placeholder : new String[] {"${PATH}", "${KC_DB_PASSWORD}", "${env.PATH}", "${java.home}",
                    "${PATH:fallback}", "${AUTHORITY_SMTP_HOST,PATH}", "${AUTHORITY_PROBE_SECRET}", "x${user.dir}y"}) {
                String file = packFile().replace("\"CreateDefaultClientScopes\": \"true\"",
                        "\"CreateDefaultClientScopes\": \"true\", \"probe\": \"" + placeholder + "\"");
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PackRealmFile.read(file), placeholder);
                assertTrue(refused.getMessage().contains("may name only its own settings"), refused.getMessage());
                assertTrue(!refused.getMessage().contains("s3cret") && !refused.getMessage().contains(System.getProperty("java.home")), refused.getMessage());
            }
        } finally {
            System.clearProperty("AUTHORITY_PROBE_SECRET");
        }
    }

    @Test
    void aBodyThatIsNotTheRealmFileIsRefusedWithAReason() {
        for (String body : new String[] {"", "{", "[]", "{\"realm\": \"x\"}", "null"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PackRealmFile.read(body), body);
            assertTrue(refused.getMessage().contains("not the pack's realm file"), refused.getMessage());
        }
    }
}
