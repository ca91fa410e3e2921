package io.sluice.rest.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused listen address into Spring Boot's short start-up failure report. */
final class UnsafeListenAddressFailureAnalyzer
        extends AbstractFailureAnalyzer<ListenAddressGuard.UnsafeListenAddressException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, ListenAddressGuard.UnsafeListenAddressException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Set sluice.security.users-file (see README, Security), or bind to 127.0.0.1.",
                cause);
    }
}
