/**
 * Talking to the cluster: {@link io.sluice.connect.elasticsearch.bulk.SearchClient} wraps Elastic's
 * low-level REST client (pooling, several hosts, failover, TLS; no product check, so it works with
 * Elasticsearch 7.10+, 8.x and OpenSearch 2.x); {@link io.sluice.connect.elasticsearch.bulk.BulkSender}
 * batches actions into bulk requests with a bounded number in flight and retries with backoff.
 * Depends on the document package, the REST client and Jackson; not on the Connect task API.
 */
package io.sluice.connect.elasticsearch.bulk;
