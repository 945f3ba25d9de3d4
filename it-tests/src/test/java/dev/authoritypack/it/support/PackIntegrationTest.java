package dev.authoritypack.it.support;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A test class that talks to the run's real Keycloak; parameters {@link KeycloakServer}, {@link AdminApi}, {@link Http}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({KeycloakExtension.class, ApiTraffic.class})
public @interface PackIntegrationTest {
}
