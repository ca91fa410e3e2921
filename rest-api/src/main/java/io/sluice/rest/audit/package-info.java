/**
 * The audit trail over HTTP: a filter inside the security chain records every request that may
 * change something (any method but GET, HEAD and OPTIONS) with its caller and answer, and {@code
 * GET /hub/audit} lists them. Depends on {@code io.sluice.core.audit} and Spring Security's context.
 */
package io.sluice.rest.audit;
