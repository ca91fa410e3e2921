/** The Sluice worker: a Spring Boot application hosting the log, connectors, REST API and UI. */
package io.sluice.worker;
