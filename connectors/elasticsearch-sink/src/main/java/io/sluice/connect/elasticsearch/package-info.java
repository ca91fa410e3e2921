/** Elasticsearch/OpenSearch sink connector. Depends on connect-api only. */
package io.sluice.connect.elasticsearch;
