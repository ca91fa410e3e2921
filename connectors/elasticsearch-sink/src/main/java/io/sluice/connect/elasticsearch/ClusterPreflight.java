package io.sluice.connect.elasticsearch;

import io.sluice.connect.elasticsearch.bulk.SearchClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check {@code validate()} runs before a task starts: every node of {@code connection.url}
 * answers {@code GET /} and accepts the credentials. Each problem is reported on the setting to fix
 * with its cause. Stateless; blocks for at most a few seconds per URL.
 */
final class ClusterPreflight {

    private static final int MAX_TIMEOUT_MS = 5000;

    private ClusterPreflight() {}

    /** Errors by setting name; empty when every node answers. {@code settings} must be valid. */
    static Map<String, List<String>> check(Map<String, String> settings) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        ElasticsearchSinkConfig config = ElasticsearchSinkConfig.parse(settings);
        for (String url : config.connectionUrls()) {
            Map<String, String> one = new HashMap<>(settings);
            one.put(ElasticsearchSinkConfig.CONNECTION_URL, url);
            one.put(
                    ElasticsearchSinkConfig.CONNECTION_TIMEOUT_MS,
                    Integer.toString(Math.min(config.connectionTimeoutMs(), MAX_TIMEOUT_MS)));
            one.put(
                    ElasticsearchSinkConfig.READ_TIMEOUT_MS,
                    Integer.toString(Math.min(config.readTimeoutMs(), MAX_TIMEOUT_MS)));
            try (SearchClient client = SearchClient.create(ElasticsearchSinkConfig.parse(one))) {
                int status = client.rootStatus();
                if (status == 401) {
                    add(
                            errors,
                            ElasticsearchSinkConfig.CONNECTION_PASSWORD,
                            "Elasticsearch at " + url + " refused the credentials (HTTP 401): fix "
                                    + ElasticsearchSinkConfig.CONNECTION_USERNAME + " and "
                                    + ElasticsearchSinkConfig.CONNECTION_PASSWORD);
                } else if (status >= 300 && status != 403) {
                    add(
                            errors,
                            ElasticsearchSinkConfig.CONNECTION_URL,
                            "Elasticsearch at " + url + " answered GET / with HTTP " + status
                                    + ": is this the cluster's HTTP address?");
                }
            } catch (IOException e) {
                add(
                        errors,
                        ElasticsearchSinkConfig.CONNECTION_URL,
                        "Elasticsearch does not answer at " + url + " (" + describe(e) + "): start it, or fix "
                                + ElasticsearchSinkConfig.CONNECTION_URL);
            } catch (RuntimeException e) {
                add(
                        errors,
                        ElasticsearchSinkConfig.CONNECTION_URL,
                        "Cannot reach Elasticsearch at " + url + " (" + describe(e) + ")");
            }
        }
        return errors;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + message;
        }
        // the cause in words: REST answers carry no exception class names
        return message != null && !message.isBlank()
                ? message
                : root.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
    }
}
