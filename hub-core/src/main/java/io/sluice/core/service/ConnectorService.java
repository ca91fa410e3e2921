package io.sluice.core.service;

import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.plugin.PluginProblem;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.core.validation.ConfigInfos;
import io.sluice.core.validation.ConfigKeyInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Kafka Connect's REST API needs from the runtime; the worker implements it, the REST layer
 * calls it. Results are plain records; configs in results are always redacted (secrets shown as
 * {@code [hidden]}), and a {@code [hidden]} value sent in an update keeps the stored secret.
 *
 * <p>Every method may be called from any request thread concurrently and may block (e.g. while a
 * write is forwarded to the metadata leader and committed); implementations bound that wait and
 * answer {@link ConflictException} when the cluster cannot act now. Failures are reported only as
 * {@link ConnectorServiceException} subtypes:
 * {@link NotFoundException} for an unknown connector, task or plugin,
 * {@link AlreadyExistsException} when creating an existing connector,
 * {@link BadRequestException} for an invalid request or config (with every field error),
 * {@link ConflictException} when the request conflicts with the cluster's current state.
 */
public interface ConnectorService {

    /** {@code GET /connectors}: the connector names, sorted. */
    List<String> connectorNames();

    /**
     * {@code POST /connectors}: creates a connector after validating its config.
     *
     * @param initialState the state to start in ({@code STARTED} unless the request asks otherwise)
     * @throws AlreadyExistsException if one by that name exists
     * @throws BadRequestException if the config is invalid
     */
    ConnectorInfo createConnector(String name, Map<String, String> config, TargetState initialState);

    /**
     * {@code PUT /connectors/{name}/config}: creates or replaces the config after validating it.
     *
     * @throws BadRequestException if the config is invalid or names another connector
     */
    PutConfigResult putConnectorConfig(String name, Map<String, String> config);

    /**
     * {@code PATCH /connectors/{name}/config}: merges {@code patch} into the stored config; a null
     * value removes the setting. The result is validated like a full config.
     */
    ConnectorInfo patchConnectorConfig(String name, Map<String, String> patch);

    /** {@code GET /connectors/{name}/config}, redacted. */
    Map<String, String> connectorConfig(String name);

    /** {@code GET /connectors/{name}}. */
    ConnectorInfo connectorInfo(String name);

    /** {@code GET /connectors/{name}/status}. */
    ConnectorStateInfo connectorStatus(String name);

    /** {@code GET /connectors/{name}/tasks}: each task's redacted config. */
    List<TaskInfo> taskConfigs(String name);

    /** {@code GET /connectors/{name}/tasks/{task}/status}. */
    TaskStatus taskStatus(TaskId id);

    /** {@code PUT /connectors/{name}/pause}; idempotent. */
    void pauseConnector(String name);

    /** {@code PUT /connectors/{name}/resume}; idempotent. */
    void resumeConnector(String name);

    /** {@code PUT /connectors/{name}/stop}: shuts the tasks down, keeps config and offsets. */
    void stopConnector(String name);

    /**
     * {@code POST /connectors/{name}/restart}.
     *
     * @return the planned statuses, as Kafka Connect answers: what the request restarts as
     *     RESTARTING, everything else as it was when the request arrived
     */
    ConnectorStateInfo restartConnector(RestartRequest request);

    /** {@code POST /connectors/{name}/tasks/{task}/restart}. */
    void restartTask(TaskId id);

    /** {@code DELETE /connectors/{name}}: stops it and removes its config. */
    void deleteConnector(String name);

    /** {@code GET /connectors/{name}/offsets}. */
    ConnectorOffsets offsets(String name);

    /**
     * {@code PATCH /connectors/{name}/offsets}.
     *
     * @return a message for the response body
     * @throws BadRequestException if the connector is not STOPPED or the offsets are malformed
     */
    String alterOffsets(String name, ConnectorOffsets offsets);

    /**
     * {@code DELETE /connectors/{name}/offsets}.
     *
     * @return a message for the response body
     * @throws BadRequestException if the connector is not STOPPED
     */
    String resetOffsets(String name);

    /** {@code GET /connectors/{name}/topics}: topics the connector has used since the last reset. */
    Set<String> activeTopics(String name);

    /** {@code PUT /connectors/{name}/topics/reset}. */
    void resetActiveTopics(String name);

    /**
     * {@code PUT /connector-plugins/{plugin}/config/validate}: never throws for an invalid config,
     * which the result describes.
     *
     * @throws BadRequestException if {@code connector.class} in the body names another plugin
     */
    ConfigInfos validateConfig(String pluginName, Map<String, String> config);

    /** {@code GET /connector-plugins}: connectors only, or every plugin type. */
    List<PluginDescriptor> plugins(boolean connectorsOnly);

    /** {@code GET /connector-plugins/{plugin}/config}: the plugin's own settings. */
    List<ConfigKeyInfo> pluginConfig(String pluginName);

    /**
     * {@code GET /hub/plugins/problems}: plugins or plugin classes that could not be loaded, and
     * plugin classes that lack a service manifest; the worker runs without the broken ones.
     */
    default List<PluginProblem> pluginProblems() {
        return List.of();
    }
}
