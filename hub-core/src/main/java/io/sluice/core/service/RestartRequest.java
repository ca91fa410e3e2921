package io.sluice.core.service;

/**
 * {@code POST /connectors/{name}/restart?includeTasks=&onlyFailed=}: restart the connector (only if
 * FAILED when {@code onlyFailed}) and, with {@code includeTasks}, its tasks (only the FAILED ones
 * when {@code onlyFailed}).
 */
public record RestartRequest(String connector, boolean onlyFailed, boolean includeTasks) {

    /** Whether the request restarts more than the connector object (Kafka then answers 202). */
    public boolean forcesStatusResponse() {
        return onlyFailed || includeTasks;
    }
}
