/** The worker's storage: opens the hub's log from {@code sluice.*} settings and reports its health. */
package io.sluice.worker.storage;
