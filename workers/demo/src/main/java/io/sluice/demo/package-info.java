/**
 * The one-command demo of Sluice's main job: an embedded PostgreSQL with a changing sample shop,
 * captured by Debezium through the hub (the real {@code sluice.jar}, a child process) into its log,
 * and written by the S3 sink into a bucket of an embedded S3 API server. The connectors are created
 * through the REST API with the JSON a user would send.
 *
 * <p>Depends on the JDK, the PostgreSQL driver, hub-core's test fixtures ({@code LocalPostgres}),
 * s3proxy and Jackson; never on the hub's classes (it talks to the hub over HTTP only).
 */
package io.sluice.demo;
