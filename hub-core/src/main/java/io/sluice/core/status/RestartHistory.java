package io.sluice.core.status;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The most recent restarts of one task, oldest dropped first beyond the capacity, plus the number of
 * consecutive automatic attempts since the task last ran long enough to be considered healthy.
 * Thread-safe (synchronised).
 */
public final class RestartHistory {

    public static final int DEFAULT_CAPACITY = 20;

    private final int capacity;
    private final Deque<RestartEvent> events = new ArrayDeque<>();
    private int consecutiveAttempts;

    public RestartHistory() {
        this(DEFAULT_CAPACITY);
    }

    public RestartHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    /** Records an automatic restart; returns its event with the new attempt number. */
    public synchronized RestartEvent recordAutomatic(Instant at, String reason) {
        consecutiveAttempts++;
        return add(new RestartEvent(at, reason, consecutiveAttempts));
    }

    /** Records a restart a user asked for; it resets the attempt count. */
    public synchronized RestartEvent recordRequested(Instant at, String reason) {
        consecutiveAttempts = 0;
        return add(new RestartEvent(at, reason, 0));
    }

    /** The task has run healthily again: automatic attempts count from zero. */
    public synchronized void resetAttempts() {
        consecutiveAttempts = 0;
    }

    public synchronized int consecutiveAttempts() {
        return consecutiveAttempts;
    }

    /** The kept events, oldest first. */
    public synchronized List<RestartEvent> events() {
        return List.copyOf(events);
    }

    public synchronized Optional<RestartEvent> last() {
        return Optional.ofNullable(events.peekLast());
    }

    private RestartEvent add(RestartEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
        return event;
    }
}
