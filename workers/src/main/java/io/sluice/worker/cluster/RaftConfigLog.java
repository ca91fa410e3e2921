package io.sluice.worker.cluster;

import io.sluice.worker.store.ConfigLog;
import io.sluice.worker.store.FencedWriteException;
import io.sluice.worker.store.TaskEpoch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the shared topics through the metadata group: a Raft client sends each change to the
 * group's leader wherever it is (following leader changes by itself), and a write returns once the
 * entry is committed and applied on this worker. Thread-safe.
 */
final class RaftConfigLog implements ConfigLog {

    private static final Logger LOG = LoggerFactory.getLogger(RaftConfigLog.class);

    private final RaftClient client;
    private final MetadataStateMachine stateMachine;
    private final Duration timeout;

    RaftConfigLog(RaftClient client, MetadataStateMachine stateMachine, Duration timeout) {
        this.client = client;
        this.stateMachine = stateMachine;
        this.timeout = timeout;
    }

    @Override
    public void write(String topic, Map<String, byte[]> changes) {
        submit(new Command(null, one(topic, changes)));
    }

    @Override
    public void write(String topic, Map<String, byte[]> changes, TaskEpoch writer) {
        String result = submit(new Command(null, writer, one(topic, changes)));
        if (result.startsWith(MetadataStateMachine.FENCED)) {
            throw new FencedWriteException(
                    writer,
                    result.substring(MetadataStateMachine.FENCED.length()).trim());
        }
    }

    @Override
    public void writeAsync(String topic, Map<String, byte[]> changes) {
        client.async().send(message(new Command(null, one(topic, changes)))).whenComplete((reply, error) -> {
            if (error != null || !reply.isSuccess()) {
                LOG.warn("A change to {} was not committed: {}", topic, error != null ? error : reply.getException());
            }
        });
    }

    private static Map<String, Map<String, byte[]>> one(String topic, Map<String, byte[]> changes) {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        out.put(topic, changes);
        return out;
    }

    /**
     * Commits {@code command} and waits until this worker applied it.
     *
     * @return the state machine's answer ({@code OK}, or {@code STALE} for an outdated assignment)
     */
    String submit(Command command) {
        try {
            RaftClientReply reply =
                    client.async().send(message(command)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new IllegalStateException("The metadata group refused a change: " + reply.getException());
            }
            if (!stateMachine.awaitApplied(reply.getLogIndex(), timeout.toMillis())) {
                throw new IllegalStateException("A committed metadata change was not applied on this worker within "
                        + timeout.toMillis() + " ms");
            }
            return reply.getMessage().getContent().toStringUtf8();
        } catch (TimeoutException e) {
            throw new IllegalStateException("No majority of the cluster's workers reachable: a config change was not"
                    + " committed within " + timeout.toMillis() + " ms (sluice.cluster.write-timeout)");
        } catch (ExecutionException e) {
            throw new IllegalStateException("A config change could not be committed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while committing a config change", e);
        }
    }

    private static Message message(Command command) {
        return Message.valueOf(ByteString.copyFrom(command.encode()));
    }
}
