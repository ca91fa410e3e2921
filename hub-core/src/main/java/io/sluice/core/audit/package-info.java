/**
 * The audit trail: one {@link io.sluice.core.audit.AuditEvent} per change asked of the REST API
 * (who, what, when, from where, and the answer), kept by the worker in an audit topic.
 */
package io.sluice.core.audit;
