package io.sluice.worker.task;

import io.sluice.log.Header;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.storage.HeaderConverter;

/** Header conversion between Connect records and the log's byte headers. Stateless. */
final class RecordConversions {

    private RecordConversions() {}

    static List<Header> fromConnectHeaders(ConnectRecord<?> record, HeaderConverter converter) {
        List<Header> out = new ArrayList<>();
        for (org.apache.kafka.connect.header.Header h : record.headers()) {
            out.add(new Header(h.key(), converter.fromConnectHeader(record.topic(), h.key(), h.schema(), h.value())));
        }
        return out;
    }

    static Headers toConnectHeaders(String topic, List<Header> headers, HeaderConverter converter) {
        ConnectHeaders out = new ConnectHeaders();
        for (Header h : headers) {
            SchemaAndValue v = converter.toConnectHeader(topic, h.key(), h.value());
            out.add(h.key(), v);
        }
        return out;
    }
}
