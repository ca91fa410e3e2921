/**
 * Workers forming one hub from a static peer list: the metadata group (a Raft group through Apache
 * Ratis whose state machine is the shared config topic), membership and liveness, and the
 * assignment of connectors and tasks to live workers. May depend on {@code worker.store}; the
 * runtime depends on it only through {@code worker.runtime.Ownership}.
 */
package io.sluice.worker.cluster;
