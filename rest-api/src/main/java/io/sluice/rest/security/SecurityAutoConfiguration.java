package io.sluice.rest.security;

import io.sluice.core.audit.AuditTrail;
import io.sluice.rest.audit.AuditFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The REST API's and UI's security: the listen-address guard, and a stateless filter chain that
 * lets everyone in when no authentication is configured (loopback only, or {@code
 * allow-anonymous}) and otherwise asks for HTTP basic credentials of a user in the users file and
 * checks {@link EndpointRules}. Replaces Spring Boot's default (generated password) security.
 */
@AutoConfiguration(
        before = {
            org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration.class,
            UserDetailsServiceAutoConfiguration.class
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties({SecurityProperties.class, ServerProperties.class})
@Import({WhoAmIController.class, io.sluice.rest.audit.AuditController.class})
public class SecurityAutoConfiguration {

    /** Installed as the context starts, after Spring Boot has (re)initialised logging. */
    @Bean
    org.springframework.beans.factory.SmartInitializingSingleton payloadLogGuard() {
        return PayloadLogGuard::install;
    }

    @Bean
    ListenAddressGuard listenAddressGuard(ServerProperties server, SecurityProperties security) {
        return new ListenAddressGuard(server, security);
    }

    /** The users file's users, or nobody (which also keeps Spring Boot from generating a user). */
    @Bean
    UserDetailsService sluiceUsers(SecurityProperties security) {
        if (security.usersFile() != null) {
            return new UsersFile(security.usersFile());
        }
        // no users file (OIDC only, or no authentication): nobody signs in with a password
        return name -> {
            throw new UsernameNotFoundException("no users configured");
        };
    }

    /** A path the firewall rejects (encoded slash, control characters) is a 400 with the JSON body. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler();
    }

    @Bean
    SecurityFilterChain sluiceSecurity(
            HttpSecurity http, SecurityProperties security, UserDetailsService users, ObjectProvider<AuditTrail> audit)
            throws Exception {
        http.addFilterBefore(
                new CrossSiteRequestGuard(), org.springframework.security.web.header.HeaderWriterFilter.class);
        // after every authentication filter, before the exception translation (so a 403 is recorded too)
        http.addFilterBefore(new AuditFilter(audit::getIfAvailable), ExceptionTranslationFilter.class);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        if (!security.authenticationConfigured()) {
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                    .anonymous(a -> {})
                    .build();
        }
        JsonSecurityErrors errors = new JsonSecurityErrors(security.oidc().enabled());
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(new VerifiedPasswords());
        AuthenticationManager manager = new ProviderManager(provider);
        if (security.oidc().enabled()) {
            OidcTokens tokens = new OidcTokens(security.oidc());
            // its own manager: the chain's (below) knows the users file only
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(tokens.decoder());
            jwt.setJwtAuthenticationConverter(tokens);
            http.oauth2ResourceServer(o -> o.jwt(j -> j.authenticationManager(new ProviderManager(jwt)))
                    .authenticationEntryPoint(errors)
                    .accessDeniedHandler(errors));
        }
        return http.authenticationManager(manager)
                .httpBasic(b -> b.authenticationEntryPoint(errors))
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .authorizeHttpRequests(a -> a.anyRequest().access(new RoleAuthorization()))
                .build();
    }
}
