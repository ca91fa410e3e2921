package io.sluice.worker.hub;

import io.sluice.core.hub.HubQueries;
import io.sluice.core.hub.StateChange;
import io.sluice.core.service.ConnectorService;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes connector and task state changes to subscribers by comparing successive snapshots of
 * the connector service's statuses ({@link #poll()} is called periodically by one thread). A
 * status that flips and flips back between two polls is not seen. Subscription is thread-safe.
 */
final class StateChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(StateChangeFeed.class);

    /** Identifies a connector (task null) or one of its tasks. */
    private record Key(String connector, Integer task) {}

    private record Seen(State state, String workerId) {}

    private final ConnectorService service;
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private Map<Key, Seen> last = new HashMap<>();

    StateChangeFeed(ConnectorService service) {
        this.service = service;
    }

    HubQueries.Subscription subscribe(Consumer<StateChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Takes a snapshot and tells every subscriber what changed since the previous one. */
    void poll() {
        Map<Key, Seen> now = snapshot();
        Instant at = Instant.now();
        now.forEach((key, seen) -> {
            if (!seen.equals(last.get(key))) {
                publish(new StateChange(at, key.connector(), key.task(), seen.state(), seen.workerId()));
            }
        });
        last.forEach((key, seen) -> {
            if (!now.containsKey(key)) {
                publish(new StateChange(at, key.connector(), key.task(), null, seen.workerId()));
            }
        });
        last = now;
    }

    private Map<Key, Seen> snapshot() {
        Map<Key, Seen> out = new HashMap<>();
        for (String name : service.connectorNames()) {
            try {
                ConnectorStateInfo status = service.connectorStatus(name);
                out.put(
                        new Key(name, null),
                        new Seen(status.connector().state(), status.connector().workerId()));
                for (TaskStatus t : status.tasks()) {
                    out.put(new Key(name, t.id().task()), new Seen(t.state(), t.workerId()));
                }
            } catch (NotFoundException deletedMeanwhile) {
                // seen as removed on this poll
            }
        }
        return out;
    }

    private void publish(StateChange change) {
        for (Consumer<StateChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.debug("State change listener failed; unsubscribing it", e);
                listeners.remove(listener);
            }
        }
    }

    int subscribers() {
        return listeners.size();
    }
}
