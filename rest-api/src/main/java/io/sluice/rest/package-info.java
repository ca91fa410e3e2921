/** Kafka-Connect-compatible REST API. Talks to the runtime through hub-core interfaces only. */
package io.sluice.rest;
