package dev.authoritypack.keycloak.realmsetup;

import dev.authoritypack.keycloak.common.PackRealms;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pack's parts of a realm and what a run of {@code ./run.sh apply-pack} or {@code remove-pack} does to them
 * (docs/existing-keycloak.md): the realm, the parts an apply created (recorded in the realm attribute {@value #PARTS},
 * so a removal takes off only those and a same-named part of the realm's own is told apart) and the report's lines.
 * {@link PackRealmApply} adds the pack's parts, {@link PackRealmRemoval} takes them off. Nothing of the realm's own
 * (users, credentials, clients, identity providers, user federation) is read or written.
 */
abstract class PackRealmParts {

    /** What an apply created, {@code kind=name} entries separated by {@code |} (flow aliases hold spaces). */
    static final String PARTS = "authority.pack.parts";
    /** Prefix of the attributes that keep what an apply replaced (bindings, themes) for the removal. */
    static final String PREVIOUS = "authority.pack.previous.";

    /** One line of the report; {@code +}, {@code ~} and {@code -} lines are what the run does (or would do, dry). */
    record Line(char kind, String text) {
        boolean isChange() {
            return kind == '+' || kind == '-' || kind == '~';
        }

        @Override
        public String toString() {
            return kind + " " + text;
        }
    }

    /** The outcome: conflicts (nothing done), or the lines of what was done. */
    record Report(List<Line> lines, List<String> conflicts) {
        long changes() {
            return lines.stream().filter(Line::isChange).count();
        }
    }

    protected final KeycloakSession session;
    protected final RealmModel realm;
    protected final boolean dryRun;
    protected final List<Line> lines = new ArrayList<>();
    protected final Set<String> parts;
    /**
     * The realm was imported from a pack's realm file ({@code --import-realm}, of this or an earlier pack version)
     * rather than given the pack by an apply: no record of parts, but the pack's own {@code authority.*} settings.
     * Its parts with the pack's names are the pack's, and an apply brings them up to this version (the upgrade of
     * docs/upgrading.md) and records them, so a later removal can take them off.
     */
    protected final boolean fromPackFile;

    PackRealmParts(KeycloakSession session, RealmModel realm, boolean dryRun) {
        this.session = session;
        this.realm = realm;
        this.dryRun = dryRun;
        String recorded = realm.getAttribute(PARTS);
        this.parts = recorded == null || recorded.isBlank() ? new LinkedHashSet<>()
                : new LinkedHashSet<>(Arrays.asList(recorded.split("\\|")));
        this.fromPackFile = recorded == null && ("true".equals(realm.getAttribute(PackRealms.ATTRIBUTE))
                || realm.getAttributes().keySet().stream().anyMatch(k -> k.startsWith("authority.") && !k.startsWith("authority.pack.")));
    }

    protected void change(char kind, String text) {
        lines.add(new Line(kind, text));
    }

    protected static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
