/**
 * The Elasticsearch/OpenSearch sink connector: settings ({@code ElasticsearchSinkConfig}), the
 * connector and its task, and which offsets are safe to commit ({@code AcknowledgedOffsets}).
 * Depends on connect-api and the {@code document} and {@code bulk} packages.
 */
package io.sluice.connect.elasticsearch;
