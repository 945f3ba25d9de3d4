package dev.authoritypack.keycloak.legacylogin;

import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import java.util.stream.Stream;

/**
 * Whether a user holds one of Keycloak's administrative roles (directly, through a group or a composite): a role
 * of the realm's {@code realm-management} client, or in the administration realm its {@code admin} and
 * {@code create-realm} roles and the roles of its {@code <realm>-realm} clients.
 */
final class AdministrativeRoles {

    private AdministrativeRoles() {
    }

    static boolean held(KeycloakSession session, RealmModel realm, UserModel user) {
        Stream<RoleModel> roles = roles(realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID));
        if (realm.getName().equals(org.keycloak.Config.getAdminRealm())) {
            Stream<RoleModel> master = Stream.of(realm.getRole(AdminRoles.ADMIN), realm.getRole(AdminRoles.CREATE_REALM));
            Stream<RoleModel> realmAdmins = realm.getClientsStream()
                    .filter(c -> c.getClientId().endsWith("-realm"))
                    .flatMap(AdministrativeRoles::roles);
            roles = Stream.concat(roles, Stream.concat(master, realmAdmins));
        }
        return roles.anyMatch(r -> r != null && user.hasRole(r));
    }

    private static Stream<RoleModel> roles(ClientModel client) {
        return client == null ? Stream.empty() : client.getRolesStream();
    }
}
