/**
 * The narrow interface between the REST API and the runtime: {@link
 * io.sluice.core.service.ConnectorService} lists what Kafka Connect's REST API needs, with plain
 * records for results and typed exceptions the REST layer maps to Kafka Connect's status codes. The
 * worker implements it; nothing here does.
 *
 * <p>Depends on {@code io.sluice.core.status}, {@code io.sluice.core.validation} and {@code
 * io.sluice.core.plugin}.
 */
package io.sluice.core.service;
