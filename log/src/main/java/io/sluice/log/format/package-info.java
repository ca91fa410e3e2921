/**
 * The log's on-disk formats: record batches, segment headers and index headers. Pure encoding with no
 * I/O; every layout here is pinned by golden-file tests, so a change is always deliberate.
 */
package io.sluice.log.format;
