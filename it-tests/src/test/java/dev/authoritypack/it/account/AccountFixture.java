package dev.authoritypack.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.RealmAttributes;
import dev.authoritypack.it.support.KeycloakServer;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Users, realm attributes and a password-grant client for the account-recovery tests. */
final class AccountFixture {

    static final String REALM = "authority";
    static final String CLIENT = "recovery-it";
    final AdminApi admin;
    final KeycloakServer server;

    AccountFixture(AdminApi admin, KeycloakServer server) {
        this.admin = admin;
        this.server = server;
    }

    Http http() {
        return new Http(server.baseUri());
    }

    /** A public client that may use the password grant, to hold refresh tokens across a reset. */
    void passwordClient() {
        Fixtures.passwordGrantClient(admin, REALM, CLIENT);
    }

    String user(String prefix, String password) {
        return Fixtures.user(admin, REALM, prefix, password);
    }

    String userId(String email) {
        return Fixtures.userId(admin, REALM, email);
    }

    JsonNode userRep(String email) {
        return admin.getJson("/realms/" + REALM + "/users/" + userId(email));
    }

    void updateUser(String email, String json) {
        Http.Response r = admin.send("PUT", "/realms/" + REALM + "/users/" + userId(email), json);
        assertEquals(204, r.status(), r::toString);
    }

    /** Sets realm attributes (others kept) and returns the previous values of those set, for {@link #attributes}. */
    Map<String, String> attributes(Map<String, String> values) {
        return RealmAttributes.set(admin, REALM, values);
    }

    Http.Response passwordGrant(String email, String password) {
        return http().postForm("/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", CLIENT, "username", email, "password", password, "scope", "openid"));
    }

    Http.Response refresh(String refreshToken) {
        return http().postForm("/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", refreshToken));
    }
}
