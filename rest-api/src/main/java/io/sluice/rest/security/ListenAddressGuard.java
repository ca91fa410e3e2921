package io.sluice.rest.security;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Refuses to open the REST API beyond loopback with nobody asked for credentials: a worker whose
 * {@code server.address} is not a loopback address (or is unset, which means every interface)
 * needs authentication configured or {@code sluice.security.allow-anonymous=true}. Runs before the
 * web server is created, so a refused worker never listens; logs which mode the worker runs in.
 */
final class ListenAddressGuard implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ListenAddressGuard.class);

    /** The worker would listen beyond loopback without authentication. */
    static final class UnsafeListenAddressException extends IllegalStateException {
        UnsafeListenAddressException(String message) {
            super(message);
        }
    }

    private final ServerProperties server;
    private final SecurityProperties security;

    ListenAddressGuard(ServerProperties server, SecurityProperties security) {
        this.server = server;
        this.security = security;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        log.info(check(server.getAddress(), security));
    }

    /** The start-up line saying the mode, or an exception when the settings are unsafe. */
    static String check(InetAddress address, SecurityProperties security) {
        String where = address == null ? "every interface" : address.getHostAddress();
        boolean loopback = address != null && address.isLoopbackAddress();
        if (security.authenticationConfigured()) {
            return "REST API and UI on " + where + " with authentication (users file " + security.usersFile() + ")";
        }
        if (loopback) {
            return "REST API and UI on " + where
                    + " only, without authentication (set sluice.security.users-file to require it)";
        }
        if (security.allowAnonymous()) {
            return "REST API and UI on " + where
                    + " WITHOUT authentication (sluice.security.allow-anonymous=true): anyone who can reach"
                    + " this address can read and change connectors";
        }
        throw new UnsafeListenAddressException("Refusing to listen on " + where
                + " without authentication: set sluice.security.users-file=PATH (users and roles), or"
                + " sluice.security.allow-anonymous=true to let anyone in, or server.address=127.0.0.1");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
