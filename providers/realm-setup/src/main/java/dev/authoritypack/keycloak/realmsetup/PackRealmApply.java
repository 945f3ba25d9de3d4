package dev.authoritypack.keycloak.realmsetup;

import dev.authoritypack.keycloak.common.PackRealms;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RepresentationToModel;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.ScopeMappingRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.managers.ClientManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Adds the pack's parts, taken from the pack's realm file (realm-config/authority-realm.json, the one source, sent by
 * {@code ./run.sh apply-pack}), to an existing realm: its flows, clients, client scope, client profile and policy,
 * realm role, themes and {@code authority.*} attributes, plus the opt-in {@link PackRealms#ATTRIBUTE}. Every
 * difference with what the realm has is reported and kept (the operator's choice) unless forced; a flow, client or
 * client scope of the realm's own with a pack part's name is a conflict found before anything is written. Builds on
 * Keycloak's own import code ({@link RepresentationToModel}, {@link ClientManager}, the client-policy manager).
 */
final class PackRealmApply extends PackRealmParts {

    private final RealmRepresentation pack;

    PackRealmApply(KeycloakSession session, RealmModel realm, RealmRepresentation pack, boolean dryRun) {
        super(session, realm, dryRun);
        this.pack = pack;
    }

    /** A same-named part is the pack's when an apply recorded it, or when the realm came from the pack's realm file. */
    private boolean packs(String kind, String name) {
        return parts.contains(kind + "=" + name) || fromPackFile;
    }

    /** The parts the realm lacks, or the conflicts that stop the apply before anything changed. */
    Report apply(boolean bindFlows, boolean force) {
        List<String> conflicts = conflicts();
        if (!conflicts.isEmpty()) {
            return new Report(List.of(), conflicts);
        }
        if (fromPackFile) {
            lines.add(new Line('=', "the realm was imported from a pack's realm file: its parts of the pack's names are the pack's, brought up to this version and recorded"));
        }
        attributes(force);
        roles();
        clientScopes();
        clients();
        clientPolicies();
        flows();
        themes(force);
        bindings(bindFlows);
        String recorded = String.join("|", parts);
        if (!dryRun && !recorded.equals(realm.getAttribute(PARTS))) {
            realm.setAttribute(PARTS, recorded);
        }
        return new Report(lines, List.of());
    }

    private List<String> conflicts() {
        List<String> conflicts = new ArrayList<>();
        for (AuthenticationFlowRepresentation flow : list(pack.getAuthenticationFlows())) {
            if (realm.getFlowByAlias(flow.getAlias()) != null && !packs("flow", flow.getAlias())) {
                conflicts.add("the realm has a flow '" + flow.getAlias() + "' of its own (not the pack's): rename it first");
            }
        }
        for (ClientRepresentation client : list(pack.getClients())) {
            if (realm.getClientByClientId(client.getClientId()) != null && !packs("client", client.getClientId())) {
                conflicts.add("the realm has a client '" + client.getClientId() + "' of its own (not the pack's): rename it first");
            }
        }
        for (ClientScopeRepresentation scope : list(pack.getClientScopes())) {
            if (KeycloakModelUtils.getClientScopeByName(realm, scope.getName()) != null && !packs("scope", scope.getName())) {
                conflicts.add("the realm has a client scope '" + scope.getName() + "' of its own (not the pack's): rename it first");
            }
        }
        return conflicts;
    }

    /** The pack's realm attributes: its own {@code authority.*} settings, its action-token lifespans, the device flow's short URI. */
    static boolean packAttribute(String key) {
        return key.startsWith("authority.") || key.startsWith("actionTokenGeneratedByUserLifespan.authority-")
                || key.equals("shortVerificationUri");
    }

    private void attributes(boolean force) {
        if (!"true".equals(realm.getAttribute(PackRealms.ATTRIBUTE))) {
            change('+', "attribute " + PackRealms.ATTRIBUTE + "=true (the pack acts on this realm)");
            if (!dryRun) {
                realm.setAttribute(PackRealms.ATTRIBUTE, "true");
            }
        }
        Map<String, String> attributes = pack.getAttributes() == null ? Map.of() : pack.getAttributes();
        attributes.forEach((key, value) -> {
            if (!packAttribute(key) || key.equals(PackRealms.ATTRIBUTE) || key.equals(PARTS)) {
                return;
            }
            String current = realm.getAttribute(key);
            if (current == null) {
                change('+', "attribute " + key + "=" + value);
                parts.add("attribute=" + key);
                if (!dryRun) {
                    realm.setAttribute(key, value);
                }
            } else if (current.equals(value)) {
                if (fromPackFile) {
                    parts.add("attribute=" + key); // the pack file's own setting: a removal takes it off
                }
            } else {
                if (force) {
                    change('~', "attribute " + key + ": '" + current + "' replaced by the pack's '" + value + "' (--force)");
                    if (!dryRun) {
                        realm.setAttribute(key, value);
                    }
                } else {
                    lines.add(new Line('!', "attribute " + key + " is '" + current + "', the pack's is '" + value + "': kept (--force replaces it)"));
                }
            }
        });
    }

    private void roles() {
        List<RoleRepresentation> roles = pack.getRoles() == null || pack.getRoles().getRealm() == null ? List.of() : pack.getRoles().getRealm();
        for (RoleRepresentation role : roles) {
            if (realm.getRole(role.getName()) != null) {
                if (fromPackFile) {
                    parts.add("role=" + role.getName());
                }
                continue; // a role of that name serves: the pack only asks who holds it
            }
            change('+', "realm role " + role.getName());
            parts.add("role=" + role.getName());
            if (!dryRun) {
                realm.addRole(role.getName()).setDescription(role.getDescription());
            }
        }
    }

    private void clientScopes() {
        for (ClientScopeRepresentation scope : list(pack.getClientScopes())) {
            if (KeycloakModelUtils.getClientScopeByName(realm, scope.getName()) != null) {
                parts.add("scope=" + scope.getName()); // the pack's (conflicts() said so): a removal takes it off
                continue;
            }
            change('+', "client scope " + scope.getName() + " (not a default scope of the realm's own clients: add it to a client whose tokens the resource server introspects)");
            parts.add("scope=" + scope.getName());
            if (!dryRun) {
                ClientScopeRepresentation copy = new ClientScopeRepresentation();
                copy.setName(scope.getName());
                copy.setDescription(scope.getDescription());
                copy.setProtocol(scope.getProtocol());
                copy.setAttributes(scope.getAttributes());
                copy.setProtocolMappers(scope.getProtocolMappers());
                RepresentationToModel.createClientScope(realm, copy);
            }
        }
    }

    private void clients() {
        for (ClientRepresentation client : list(pack.getClients())) {
            if (realm.getClientByClientId(client.getClientId()) != null) {
                parts.add("client=" + client.getClientId()); // the pack's (conflicts() said so)
                continue;
            }
            change('+', "client " + client.getClientId() + (client.isPublicClient() != null && !client.isPublicClient() ? " (its secret is generated: read it in the admin console)" : ""));
            parts.add("client=" + client.getClientId());
            if (!dryRun) {
                ClientModel created = ClientManager.createClient(session, realm, client);
                for (ScopeMappingRepresentation mapping : list(pack.getScopeMappings())) {
                    if (client.getClientId().equals(mapping.getClient()) && mapping.getRoles() != null) {
                        mapping.getRoles().stream().map(realm::getRole).filter(Objects::nonNull).forEach(created::addScopeMapping);
                    }
                }
            }
        }
    }

    private void clientPolicies() {
        try {
            ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, false);
            List<ClientProfileRepresentation> ownProfiles = new ArrayList<>(list(profiles.getProfiles()));
            if (addMissing("profile", ownProfiles, pack.getParsedClientProfiles() == null ? null : pack.getParsedClientProfiles().getProfiles(),
                    ClientProfileRepresentation::getName, p -> "client profile " + p.getName()) && !dryRun) {
                profiles.setProfiles(ownProfiles);
                session.clientPolicy().updateClientProfiles(realm, profiles);
            }
            ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, false);
            List<ClientPolicyRepresentation> ownPolicies = new ArrayList<>(list(policies.getPolicies()));
            if (addMissing("policy", ownPolicies, pack.getParsedClientPolicies() == null ? null : pack.getParsedClientPolicies().getPolicies(),
                    ClientPolicyRepresentation::getName,
                    p -> "client policy " + p.getName() + " (" + p.getDescription() + "; it applies to the realm's own clients too)") && !dryRun) {
                policies.setPolicies(ownPolicies);
                session.clientPolicy().updateClientPolicies(realm, policies);
            }
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("client policies: " + e.getErrorDetail(), e);
        }
    }

    /**
     * Adds to {@code own} each of the pack's client profiles or policies it lacks by name, and records it; one of the
     * pack's names the realm already has is recorded only when the realm came from the pack's file. Whether any was added.
     */
    private <T> boolean addMissing(String kind, List<T> own, List<T> packs, java.util.function.Function<T, String> name,
                                   java.util.function.Function<T, String> label) {
        boolean added = false;
        for (T part : list(packs)) {
            boolean present = own.stream().anyMatch(o -> name.apply(o).equals(name.apply(part)));
            if (present && !fromPackFile) {
                continue;
            }
            parts.add(kind + "=" + name.apply(part));
            if (!present) {
                change('+', label.apply(part));
                own.add(part);
                added = true;
            }
        }
        return added;
    }

    private void flows() {
        List<AuthenticationFlowRepresentation> missing = new ArrayList<>();
        for (AuthenticationFlowRepresentation flow : list(pack.getAuthenticationFlows())) {
            AuthenticationFlowModel existing = realm.getFlowByAlias(flow.getAlias());
            if (existing == null) {
                missing.add(flow);
                change('+', "flow '" + flow.getAlias() + "'");
                parts.add("flow=" + flow.getAlias());
            } else {
                parts.add("flow=" + flow.getAlias()); // the pack's (conflicts() said so)
                if (!shape(existing).equals(shape(flow))) {
                    lines.add(new Line('!', "flow '" + flow.getAlias() + "' differs from this pack version's: kept (remove-pack, then apply-pack, replaces it)"));
                }
            }
        }
        if (dryRun) {
            return;
        }
        for (AuthenticationFlowRepresentation flow : missing) { // first every flow, so executions can name sub-flows
            AuthenticationFlowModel model = RepresentationToModel.toModel(flow);
            model.setId(null);
            model.setBuiltIn(false);
            realm.addAuthenticationFlow(model);
        }
        for (AuthenticationFlowRepresentation flow : missing) {
            String flowId = realm.getFlowByAlias(flow.getAlias()).getId();
            for (AuthenticationExecutionExportRepresentation e : list(flow.getAuthenticationExecutions())) {
                AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
                execution.setParentFlow(flowId);
                execution.setAuthenticator(e.getAuthenticator());
                execution.setAuthenticatorFlow(e.isAuthenticatorFlow());
                if (e.getFlowAlias() != null) {
                    execution.setFlowId(realm.getFlowByAlias(e.getFlowAlias()).getId());
                }
                execution.setRequirement(AuthenticationExecutionModel.Requirement.valueOf(e.getRequirement()));
                execution.setPriority(e.getPriority());
                if (e.getAuthenticatorConfig() != null) {
                    execution.setAuthenticatorConfig(config(e.getAuthenticatorConfig()).getId());
                }
                realm.addAuthenticatorExecution(execution);
            }
        }
    }

    private AuthenticatorConfigModel config(String alias) {
        AuthenticatorConfigModel existing = realm.getAuthenticatorConfigByAlias(alias);
        if (existing != null) {
            return existing;
        }
        AuthenticatorConfigRepresentation rep = list(pack.getAuthenticatorConfig()).stream().filter(c -> alias.equals(c.getAlias())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the realm file names an authenticator config '" + alias + "' it does not hold"));
        AuthenticatorConfigModel model = RepresentationToModel.toModel(rep);
        model.setId(null);
        return realm.addAuthenticatorConfig(model);
    }

    /** A flow's executions as text (authenticator or sub-flow, requirement, priority), sub-flows included. */
    private String shape(AuthenticationFlowModel flow) {
        return realm.getAuthenticationExecutionsStream(flow.getId())
                .map(e -> (e.isAuthenticatorFlow() ? "flow:" + realm.getAuthenticationFlowById(e.getFlowId()).getAlias() : e.getAuthenticator())
                        + ":" + e.getRequirement() + ":" + e.getPriority())
                .collect(Collectors.joining(","));
    }

    private static String shape(AuthenticationFlowRepresentation flow) {
        return list(flow.getAuthenticationExecutions()).stream()
                .map(e -> (e.isAuthenticatorFlow() ? "flow:" + e.getFlowAlias() : e.getAuthenticator()) + ":" + e.getRequirement() + ":" + e.getPriority())
                .collect(Collectors.joining(","));
    }

    private void themes(boolean force) {
        theme("login", realm.getLoginTheme(), pack.getLoginTheme(), force, realm::setLoginTheme);
        theme("email", realm.getEmailTheme(), pack.getEmailTheme(), force, realm::setEmailTheme);
    }

    private void theme(String kind, String current, String packs, boolean force, java.util.function.Consumer<String> set) {
        if (packs == null) {
            return;
        }
        if (packs.equals(current)) {
            if (fromPackFile && parts.add("theme=" + kind) && !dryRun) {
                realm.setAttribute(PREVIOUS + kind + "-theme", ""); // the file set it over Keycloak's default
            }
            return;
        }
        if (current == null || current.isBlank()) {
            change('+', kind + " theme " + packs + " (the realm had Keycloak's default)");
        } else if (force) {
            change('~', kind + " theme: '" + current + "' replaced by the pack's '" + packs + "' (--force; remove-pack restores it)");
        } else {
            lines.add(new Line('!', kind + " theme is '" + current + "', the pack's is '" + packs + "': kept (--force replaces it); the pack's pages keep their look either way"));
            return;
        }
        parts.add("theme=" + kind);
        if (!dryRun) {
            realm.setAttribute(PREVIOUS + kind + "-theme", current == null ? "" : current);
            set.accept(packs);
        }
    }

    private void bindings(boolean bindFlows) {
        binding("browser", realm.getBrowserFlow(), pack.getBrowserFlow(), bindFlows, realm::setBrowserFlow);
        binding("direct-grant", realm.getDirectGrantFlow(), pack.getDirectGrantFlow(), bindFlows, realm::setDirectGrantFlow);
    }

    private void binding(String kind, AuthenticationFlowModel current, String packs, boolean bindFlows, java.util.function.Consumer<AuthenticationFlowModel> set) {
        if (packs == null || (current != null && packs.equals(current.getAlias()))) {
            return;
        }
        String was = current == null ? "" : current.getAlias();
        // the one binding an earlier pack file left on Keycloak's own flow: the direct grant, before 'authority direct
        // grant' existed (realm files before 2026-12-01). Such a realm gets this version's binding, as this version's
        // file binds it; a browser binding other than the pack's was the operator's choice and stays
        boolean upgrade = fromPackFile && kind.equals("direct-grant") && (current == null || (current.isBuiltIn() && was.equals("direct grant")));
        if (!bindFlows && !upgrade) {
            lines.add(new Line('=', kind + " flow stays '" + was + "' (--bind-flows switches it to '" + packs + "')"));
            return;
        }
        change('~', kind + " flow: '" + was + "' replaced by '" + packs + "'" + (upgrade && !bindFlows ? " (this pack version's binding)" : "") + " (recorded; remove-pack restores it)");
        if (!dryRun) {
            if (realm.getAttribute(PREVIOUS + kind + "-flow") == null) {
                realm.setAttribute(PREVIOUS + kind + "-flow", was);
            }
            set.accept(realm.getFlowByAlias(packs));
        }
    }
}
