package io.sluice.connect.elasticsearch.document;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One bulk action for one record: what to do to which document, and the JSON body (null for a
 * delete). {@code mapping} is the index mapping to create the index with, or null for dynamic.
 */
public record DocumentAction(
        Operation operation, String index, String id, byte[] source, String mapping, SinkRecord record) {

    /** The bulk API's action names. */
    public enum Operation {
        INDEX("index"),
        UPDATE("update"),
        DELETE("delete");

        private final String bulkName;

        Operation(String bulkName) {
            this.bulkName = bulkName;
        }

        public String bulkName() {
            return bulkName;
        }
    }

    /** Identity of the document, for keeping actions on one document in order. */
    public String documentKey() {
        return index + '/' + id;
    }
}
