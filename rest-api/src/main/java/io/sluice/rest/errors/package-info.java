/**
 * Every error the REST API answers, in Kafka Connect's body {@code {"error_code": <status>,
 * "message": "..."}}: mapping of service exceptions and request-parsing failures, the error page
 * for anything the dispatcher never saw, and the request body size cap. Never a stack trace.
 *
 * <p>Depends on Spring MVC and {@code io.sluice.core.service} only.
 */
package io.sluice.rest.errors;
