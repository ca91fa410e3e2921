/**
 * Who may call the REST API and the UI: the listen-address safety check, users and roles from a
 * users file ({@code sluice.security.users-file}), HTTP basic authentication, and the table of
 * which role each endpoint needs ({@link io.sluice.rest.security.EndpointRules}). Without security
 * settings the worker listens on loopback only and lets every local caller in.
 *
 * <p>Depends on Spring Security, Spring Boot's web server settings and {@code io.sluice.rest.errors}
 * (for Kafka Connect's error body) only.
 */
package io.sluice.rest.security;
