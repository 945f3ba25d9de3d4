package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.keycloak.routes.DocumentedRoute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of the route table answers at both bases with something other than Keycloak's 404 and never a 5xx.
 * The re-routing mechanism is not a Keycloak SPI: this is the test that catches an upgrade breaking it.
 */
@PackIntegrationTest
class RouteTableIT {

    static Stream<Arguments> everyRouteAtBothBases() {
        return DocumentedRoute.all().stream()
                .flatMap(r -> Stream.of(Arguments.of(r, ""), Arguments.of(r, "/realms/authority")));
    }

    @ParameterizedTest(name = "{1}{0}")
    @MethodSource("everyRouteAtBothBases")
    void routeIsServed(DocumentedRoute route, String base, Http http) {
        String path = base + route.path();
        Http.Response r = route.methods().contains("GET") ? http.get(path) : http.postForm(path, Map.of());
        assertTrue(r.status() != 404 && r.status() != 405 && r.status() < 500, path + " -> " + r);
    }
}
