package io.sluice.worker.testconnectors;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Task of {@link CountingSinkConnector}. */
public class CountingSinkTask extends SinkTask {

    private String name;
    private String failOn;
    private String reportValue;
    private final AtomicInteger retriableLeft = new AtomicInteger();

    @Override
    public void start(Map<String, String> props) {
        name = props.get("name");
        Received.of(name).taskConfig = Map.copyOf(props);
        failOn = props.getOrDefault("fail.on.value", "");
        reportValue = props.getOrDefault("report.value", "");
        retriableLeft.set(Integer.parseInt(props.getOrDefault("retriable.failures", "0")));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (!records.isEmpty() && retriableLeft.getAndDecrement() > 0) {
            Received.of(name).retriableFailures.incrementAndGet();
            throw new RetriableException("planned retriable failure");
        }
        for (SinkRecord r : records) {
            if (!failOn.isEmpty() && failOn.equals(String.valueOf(r.value()))) {
                throw new IllegalStateException("planned failure on value " + r.value());
            }
            if (!reportValue.isEmpty() && reportValue.equals(String.valueOf(r.value()))) {
                context.errantRecordReporter().report(r, new IllegalArgumentException("cannot write " + r.value()));
                continue;
            }
            Received.of(name).add(r);
        }
    }

    @Override
    public void stop() {}

    @Override
    public String version() {
        return "1.0-test";
    }
}
