package dev.authoritypack.keycloak.realmsetup;

import dev.authoritypack.keycloak.common.PackRealms;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes off a realm what {@link PackRealmApply} added, as recorded: restores the recorded bindings (or Keycloak's
 * own flows) and themes, removes the pack's flows, clients, client scope, role, client profile and policy and
 * attributes, and the opt-in. The realm's users then sign in with Keycloak's own pages again.
 */
final class PackRealmRemoval extends PackRealmParts {

    private static final List<String> BINDINGS = List.of("browser", "direct-grant");

    PackRealmRemoval(KeycloakSession session, RealmModel realm, boolean dryRun) {
        super(session, realm, dryRun);
    }

    /** Takes off what an apply added (as recorded), restoring the recorded bindings and themes. */
    Report remove() {
        if (fromPackFile) {
            packFileParts();
        }
        for (String kind : BINDINGS) {
            restoreBinding(kind);
        }
        for (String kind : List.of("login", "email")) {
            if (parts.contains("theme=" + kind)) {
                String previous = realm.getAttribute(PREVIOUS + kind + "-theme");
                change('-', kind + " theme " + ("login".equals(kind) ? realm.getLoginTheme() : realm.getEmailTheme())
                        + " (back to " + (previous == null || previous.isEmpty() ? "Keycloak's default" : "'" + previous + "'") + ")");
                if (!dryRun) {
                    String value = previous == null || previous.isEmpty() ? null : previous;
                    if ("login".equals(kind)) {
                        realm.setLoginTheme(value);
                    } else {
                        realm.setEmailTheme(value);
                    }
                    realm.removeAttribute(PREVIOUS + kind + "-theme");
                }
            }
        }
        for (String part : List.copyOf(parts)) {
            String kind = part.substring(0, part.indexOf('='));
            String name = part.substring(part.indexOf('=') + 1);
            switch (kind) {
                case "client" -> {
                    ClientModel client = realm.getClientByClientId(name);
                    if (client != null) {
                        change('-', "client " + name);
                        if (!dryRun) {
                            new ClientManager(new RealmManager(session)).removeClient(realm, client);
                        }
                    }
                }
                case "flow" -> {
                    AuthenticationFlowModel flow = realm.getFlowByAlias(name);
                    if (flow != null && flow.isTopLevel()) {
                        change('-', "flow '" + name + "' and its sub-flows");
                        if (!dryRun) {
                            deleteFlow(flow);
                        }
                    }
                }
                case "attribute" -> {
                    change('-', "attribute " + name);
                    if (!dryRun) {
                        realm.removeAttribute(name);
                    }
                }
                default -> {
                }
            }
        }
        for (String part : List.copyOf(parts)) { // after the clients that used them
            String kind = part.substring(0, part.indexOf('='));
            String name = part.substring(part.indexOf('=') + 1);
            if (kind.equals("scope")) {
                ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
                if (scope != null) {
                    change('-', "client scope " + name);
                    if (!dryRun) {
                        realm.removeClientScope(scope.getId());
                    }
                }
            } else if (kind.equals("role")) {
                RoleModel role = realm.getRole(name);
                if (role != null) {
                    change('-', "realm role " + name + " (and who held it)");
                    if (!dryRun) {
                        realm.removeRole(role);
                    }
                }
            }
        }
        removeClientPolicies();
        // the default realm of the host-root routes counts as applied without the attribute (PackRealms): "false" there
        boolean defaultRealm = realm.getName().equals(PackRealms.defaultRealm());
        String optIn = realm.getAttribute(PackRealms.ATTRIBUTE);
        if (defaultRealm ? !"false".equals(optIn) : optIn != null) {
            change('-', "attribute " + PackRealms.ATTRIBUTE + (defaultRealm ? " (set to false: this is the host-root routes' default realm)" : ""));
        }
        if (!dryRun) {
            if (defaultRealm) {
                realm.setAttribute(PackRealms.ATTRIBUTE, "false");
            } else {
                realm.removeAttribute(PackRealms.ATTRIBUTE);
            }
            realm.removeAttribute(PARTS);
        }
        return new Report(lines, List.of());
    }

    /**
     * A realm imported from a pack's realm file has no record of its parts: they are what an apply of the installed
     * version would record (its dry run, from the realm file built into this jar), and every pack setting it holds.
     */
    private void packFileParts() {
        lines.add(new Line('=', "the realm was imported from a pack's realm file: the parts of the pack's names are taken off"));
        PackRealmApply asApplied = new PackRealmApply(session, realm, PackRealmFile.bundled(), true);
        asApplied.apply(false, false);
        parts.addAll(asApplied.parts);
        realm.getAttributes().keySet().stream()
                .filter(k -> PackRealmApply.packAttribute(k) && !k.equals(PackRealms.ATTRIBUTE) && !k.equals(PARTS))
                .forEach(k -> parts.add("attribute=" + k));
    }

    /**
     * A flow with its executions, sub-flows and their configs, as Keycloak's admin API deletes one (its
     * KeycloakModelUtils.deepDeleteAuthenticationFlow changed its parameters after 26.4, so it is not called).
     */
    private void deleteFlow(AuthenticationFlowModel flow) {
        for (AuthenticationExecutionModel execution : realm.getAuthenticationExecutionsStream(flow.getId()).toList()) {
            if (execution.isAuthenticatorFlow() && execution.getFlowId() != null) {
                AuthenticationFlowModel sub = realm.getAuthenticationFlowById(execution.getFlowId());
                if (sub != null) {
                    deleteFlow(sub);
                }
            }
            realm.removeAuthenticatorExecution(execution);
            if (execution.getAuthenticatorConfig() != null) {
                AuthenticatorConfigModel config = realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig());
                if (config != null) {
                    realm.removeAuthenticatorConfig(config);
                }
            }
        }
        realm.removeAuthenticationFlow(flow);
    }

    private void restoreBinding(String kind) {
        AuthenticationFlowModel current = "browser".equals(kind) ? realm.getBrowserFlow() : realm.getDirectGrantFlow();
        String previous = realm.getAttribute(PREVIOUS + kind + "-flow");
        if (current != null && parts.contains("flow=" + current.getAlias())) {
            String back = previous == null || previous.isEmpty() || realm.getFlowByAlias(previous) == null
                    ? ("browser".equals(kind) ? "browser" : "direct grant") : previous; // Keycloak's own flow when none was recorded
            change('~', kind + " flow: '" + current.getAlias() + "' back to '" + back + "'");
            if (!dryRun) {
                AuthenticationFlowModel flow = realm.getFlowByAlias(back);
                if ("browser".equals(kind)) {
                    realm.setBrowserFlow(flow);
                } else {
                    realm.setDirectGrantFlow(flow);
                }
            }
        }
        if (previous != null && !dryRun) {
            realm.removeAttribute(PREVIOUS + kind + "-flow");
        }
    }

    private void removeClientPolicies() {
        try {
            ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, false);
            List<ClientPolicyRepresentation> keep = list(policies.getPolicies()).stream().filter(p -> !parts.contains("policy=" + p.getName())).toList();
            if (keep.size() != list(policies.getPolicies()).size()) {
                change('-', "the pack's client policies");
                if (!dryRun) {
                    policies.setPolicies(new ArrayList<>(keep));
                    session.clientPolicy().updateClientPolicies(realm, policies);
                }
            }
            ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, false);
            List<ClientProfileRepresentation> keepProfiles = list(profiles.getProfiles()).stream().filter(p -> !parts.contains("profile=" + p.getName())).toList();
            if (keepProfiles.size() != list(profiles.getProfiles()).size()) {
                change('-', "the pack's client profiles");
                if (!dryRun) {
                    profiles.setProfiles(new ArrayList<>(keepProfiles));
                    session.clientPolicy().updateClientProfiles(realm, profiles);
                }
            }
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("client policies: " + e.getErrorDetail(), e);
        }
    }
}
