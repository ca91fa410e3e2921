package io.sluice.worker.cluster;

import io.sluice.core.service.UnavailableException;
import io.sluice.worker.store.ConfigLog;
import io.sluice.worker.store.FencedWriteException;
import io.sluice.worker.store.TaskEpoch;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final java.util.function.BooleanSupplier leaderKnown;
    private final java.util.concurrent.ExecutorService background =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sluice-metadata-writer");
                t.setDaemon(true);
                return t;
            });

    RaftConfigLog(
            RaftClient client,
            MetadataStateMachine stateMachine,
            Duration timeout,
            java.util.function.BooleanSupplier leaderKnown) {
        this.client = client;
        this.leaderKnown = leaderKnown;
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

    /**
     * Sends the change from one background thread, so changes written this way are committed in the
     * order they were written (a status after the one it replaces).
     */
    @Override
    public void writeAsync(String topic, Map<String, byte[]> changes) {
        Message m = message(new Command(null, one(topic, changes)));
        try {
            background.execute(() -> {
                try {
                    RaftClientReply reply = client.io().send(m);
                    if (!reply.isSuccess()) {
                        LOG.warn("A change to {} was not committed: {}", topic, reply.getException());
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("A change to {} was not committed: {}", topic, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("Not written (closing): a change to {}", topic);
        }
    }

    /** Stops the background writer (changes not sent yet are dropped). */
    void close() {
        background.shutdownNow();
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
            // the blocking API: a request given up on (WriteRetry) fails alone, where the ordered async
            // API would close the client for every later request
            RaftClientReply reply = client.io().send(message(command));
            if (!reply.isSuccess()) {
                if (reply.getStateMachineException() != null
                        && String.valueOf(reply.getStateMachineException().getMessage())
                                .contains(MetadataStateMachine.NO_QUORUM)) {
                    throw noQuorum("the metadata leader cannot reach a majority of the workers");
                }
                throw new IllegalStateException("The metadata group refused a change: " + reply.getException());
            }
            if (!stateMachine.awaitApplied(reply.getLogIndex(), timeout.toMillis())) {
                throw new IllegalStateException("A committed metadata change was not applied on this worker within "
                        + timeout.toMillis() + " ms");
            }
            return reply.getMessage().getContent().toStringUtf8();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while committing a config change", e);
        } catch (IOException e) {
            if (!leaderKnown.getAsBoolean()) {
                throw noQuorum("no metadata leader has been elected for " + WriteRetry.NO_LEADER_MILLIS
                        + " ms, so a majority of the workers is unreachable");
            }
            // the client gave up (see WriteRetry): past the write timeout, or no leader for seconds
            throw new UnavailableException("The hub could not commit the change ("
                    + e.getClass().getSimpleName()
                    + "): no metadata leader with a majority of the workers answered within "
                    + timeout.toMillis() + " ms (sluice.cluster.write-timeout), or none was elected for "
                    + WriteRetry.NO_LEADER_MILLIS + " ms. If it reached a leader that then lost its majority, it may"
                    + " still be applied; otherwise it was not made. The hub has no quorum now if this persists.");
        }
    }

    private static UnavailableException noQuorum(String why) {
        return new UnavailableException("The hub has no quorum: " + why
                + ". The change was not made; send it again once a majority of the workers is back.");
    }

    private static Message message(Command command) {
        return Message.valueOf(ByteString.copyFrom(command.encode()));
    }
}
