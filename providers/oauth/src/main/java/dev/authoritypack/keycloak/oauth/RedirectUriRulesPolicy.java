package dev.authoritypack.keycloak.oauth;

import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.ErrorCodes;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Redirect-URI rules (docs/routes.md) for dynamic client registration (RFC 7591).
 *
 * <p>Keycloak turns a {@code ClientRegistrationPolicyException} into {@code 403 insufficient_scope}; RFC 7591
 * §3.2.2 wants {@code 400 invalid_redirect_uri}, so this throws Keycloak's {@link ErrorResponseException},
 * which its error handler renders as {@code {error, error_description}} ({@code ClientRegistrationPolicyException}).
 *
 * <p>It also refuses metadata longer than Keycloak's database keeps: the client's name, description and URLs,
 * each redirect URI and web origin live in columns of 255 characters (model-jpa's {@code ClientEntity} and its
 * Liquibase changelog), and a longer value failed the insert with a 500. RFC 7591 §3.2.2 names the answer:
 * {@code 400 invalid_redirect_uri} or {@code invalid_client_metadata}.
 */
final class RedirectUriRulesPolicy implements ClientRegistrationPolicy {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    @Override
    public void beforeRegister(ClientRegistrationContext context) {
        check(context.getClient());
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel clientModel) {
        check(context.getClient());
    }

    /** Characters of Keycloak's client columns (varchar(255)). */
    static final int COLUMN = 255;

    private static void check(ClientRepresentation client) {
        List<String> uris = client.getRedirectUris() == null ? List.of() : client.getRedirectUris();
        for (String uri : uris) {
            problem(uri).ifPresent(p -> {
                throw new ErrorResponseException(ErrorCodes.INVALID_REDIRECT_URI, p, Response.Status.BAD_REQUEST);
            });
        }
        tooLong(client).ifPresent(field -> {
            throw new ErrorResponseException(ErrorCodes.INVALID_CLIENT_METADATA, field + " is longer than " + COLUMN + " characters",
                    Response.Status.BAD_REQUEST);
        });
    }

    /** The RFC 7591 name of the first field Keycloak could not store, if any. */
    static Optional<String> tooLong(ClientRepresentation client) {
        String[][] fields = {{"client_name", client.getName()}, {"client_uri", client.getBaseUrl()}, {"client_uri", client.getRootUrl()},
                {"client_id", client.getClientId()}, {"description", client.getDescription()}, {"admin_url", client.getAdminUrl()}};
        for (String[] field : fields) {
            if (field[1] != null && field[1].length() > COLUMN) {
                return Optional.of(field[0]);
            }
        }
        List<String> origins = client.getWebOrigins() == null ? List.of() : client.getWebOrigins();
        return origins.stream().anyMatch(o -> o != null && o.length() > COLUMN) ? Optional.of("web_origins") : Optional.empty();
    }

    /** Why a redirect URI is refused, or empty when it is acceptable. */
    static Optional<String> problem(String uri) {
        if (uri != null && uri.length() > COLUMN) {
            return Optional.of("redirect_uri is longer than " + COLUMN + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of("redirect_uri is not a valid URI");
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return Optional.of("redirect_uri must not contain a fragment");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return Optional.of("redirect_uri must be an absolute https URI");
        }
        if ("https".equals(scheme)) {
            return Optional.empty();
        }
        if ("http".equals(scheme) && LOOPBACK.contains(host)) {
            return Optional.empty();
        }
        return Optional.of("redirect_uri must use https (http is allowed only for localhost, 127.0.0.1 and [::1])");
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel clientModel) {
    }
}
