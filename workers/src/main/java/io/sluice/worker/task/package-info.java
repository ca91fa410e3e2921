/**
 * Task execution: the source and sink task loops, their Kafka Connect contexts, partition choice and
 * topic creation. A task runs on its own thread; control (pause, resume, stop) comes from the
 * runtime's thread. Depends on hub-core (converters, transforms, errors), the log and the stores.
 */
package io.sluice.worker.task;
