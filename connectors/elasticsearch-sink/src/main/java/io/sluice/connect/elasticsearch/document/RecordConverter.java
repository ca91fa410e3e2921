package io.sluice.connect.elasticsearch.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig;
import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig.NullValueBehavior;
import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig.WriteMethod;
import io.sluice.connect.elasticsearch.IndexNames;
import io.sluice.connect.elasticsearch.document.DocumentAction.Operation;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a record into its bulk action. The id is the key (a single-field struct key gives that
 * field's value; other structs and maps give their JSON) or, with key.ignore, topic+partition+offset
 * of the record as it was read from Kafka, so a replay rewrites the same documents. Thread-safe.
 */
public final class RecordConverter {

    private final IndexNames indexNames;
    private final boolean keyIgnore;
    private final boolean schemaIgnore;
    private final WriteMethod writeMethod;
    private final NullValueBehavior nullValues;

    public RecordConverter(ElasticsearchSinkConfig config) {
        this.indexNames = new IndexNames(config.topicIndexMap());
        this.keyIgnore = config.keyIgnore();
        this.schemaIgnore = config.schemaIgnore();
        this.writeMethod = config.writeMethod();
        this.nullValues = config.nullValues();
    }

    /** The action for a record, or null when the record is skipped (an ignored tombstone). */
    public DocumentAction convert(SinkRecord record) {
        String index = indexNames.forTopic(record.topic());
        if (record.value() == null) {
            return tombstone(record, index);
        }
        String id = keyIgnore ? offsetId(record) : keyId(record);
        String mapping = mapping(record.valueSchema());
        JsonNode source =
                record.value() instanceof String s ? ConnectJson.parse(s) : ConnectJson.toJson(record.value());
        if (!source.isObject()) {
            throw new DataException("Value of " + where(record) + " is not an object or struct");
        }
        if (writeMethod == WriteMethod.UPSERT) {
            ObjectNode update = JsonNodeFactory.instance.objectNode();
            update.set("doc", source);
            update.put("doc_as_upsert", true);
            return new DocumentAction(Operation.UPDATE, index, id, ConnectJson.bytes(update), mapping, record);
        }
        return new DocumentAction(Operation.INDEX, index, id, ConnectJson.bytes(source), mapping, record);
    }

    private DocumentAction tombstone(SinkRecord record, String index) {
        if (keyIgnore || nullValues == NullValueBehavior.IGNORE) {
            return null;
        }
        if (nullValues == NullValueBehavior.FAIL) {
            throw new DataException("Null value in " + where(record) + " and behavior.on.null.values=fail");
        }
        return new DocumentAction(Operation.DELETE, index, keyId(record), null, null, record);
    }

    private String mapping(Schema valueSchema) {
        if (schemaIgnore || valueSchema == null || valueSchema.type() != Schema.Type.STRUCT) {
            return null;
        }
        return Mappings.createIndexBody(valueSchema);
    }

    static String offsetId(SinkRecord record) {
        return record.originalTopic() + "+" + record.originalKafkaPartition() + "+" + record.originalKafkaOffset();
    }

    static String keyId(SinkRecord record) {
        Object key = record.key();
        if (key == null) {
            throw new DataException("Null key in " + where(record) + " while key.ignore=false");
        }
        if (key instanceof Struct struct && struct.schema().fields().size() == 1) {
            key = struct.get(struct.schema().fields().get(0));
        } else if (key instanceof Map<?, ?> map && map.size() == 1) {
            key = map.values().iterator().next();
        }
        if (key instanceof Struct || key instanceof Map<?, ?>) {
            return ConnectJson.toJson(key).toString();
        }
        if (key == null) {
            throw new DataException("Null key field in " + where(record));
        }
        if (key instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        return key.toString();
    }

    static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
