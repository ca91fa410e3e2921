package io.sluice.connect.elasticsearch.bulk;

import io.sluice.connect.elasticsearch.document.DocumentAction;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends actions to the cluster in bulk requests: a batch goes when it has {@code batchSize}
 * actions or its oldest action has waited {@code lingerMs}; at most {@code maxInFlight} requests
 * are outstanding. Two actions on the same document are never in flight at once, so the cluster
 * applies them in the order they were added. A request refused with 429, a 5xx status or a
 * connection error, and items refused with 429/5xx, are retried with {@link Backoff}; after
 * {@code maxRetries} the sender fails and keeps the failure for {@link #failure()}. While attempts
 * keep failing, {@link #outage()} says with what and since when; it clears on the first attempt
 * that leaves nothing to retry.
 *
 * <p>{@link #add} is called by one thread (the task); outcomes are reported on sender threads.
 */
public final class BulkSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BulkSender.class);

    /** Told what became of one action. Called on a sender thread. */
    public interface Outcome {
        /** The cluster applied the action. */
        void acknowledged();

        /** The cluster refused the document itself; the sender will not retry it. */
        void rejected(String errorType, String reason);
    }

    /** Sizing and retry settings. */
    public record Settings(
            int batchSize, long lingerMs, int maxInFlight, int maxRetries, long backoffMs, long backoffMaxMs) {}

    private record Pending(DocumentAction action, Outcome outcome, long enqueuedNanos) {}

    /**
     * Bulk requests keep failing for a reason retrying may fix (the cluster is unreachable, answers
     * 429 or 5xx, or refuses documents for now).
     *
     * @param error the last failure
     * @param sinceMillis when the first failure of the current run happened (epoch milliseconds)
     * @param answered whether the cluster answered the last failed request (429, 5xx, documents
     *     refused) rather than being unreachable
     */
    public record Outage(Exception error, long sinceMillis, boolean answered) {}

    private final SearchClient client;
    private final Settings settings;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Set<String> inFlightDocuments = new HashSet<>();
    private final Set<String> createdIndexes = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders;
    private final Thread dispatcher;
    private int inFlightRequests;
    private int buffered;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile Outage outage;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();

    public BulkSender(SearchClient client, Settings settings, String threadName) {
        this.client = client;
        this.settings = settings;
        this.backoff = new Backoff(settings.backoffMs(), settings.backoffMaxMs());
        this.senders = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
            Thread t = new Thread(r, threadName + "-bulk");
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatch, threadName + "-dispatch");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** Queues an action; never blocks. */
    public void add(DocumentAction action, Outcome outcome) {
        lock.lock();
        try {
            pending.add(new Pending(action, outcome, System.nanoTime()));
            buffered++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Actions added and not yet acknowledged or rejected. */
    public int buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Why the sender gave up, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    /** The outage bulk requests are retrying through, or null while they succeed. */
    public Outage outage() {
        return outage;
    }

    /** Bulk requests sent, each attempt counted. */
    public long requests() {
        return requests.get();
    }

    /**
     * Bulk requests that failed as a whole (unreachable, 429, 5xx) or had documents refused for
     * now; each attempt counted.
     */
    public long failedRequests() {
        return failedRequests.get();
    }

    /** Waits until every added action has an outcome; false on timeout or failure. */
    public boolean awaitEmpty(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (buffered > 0 && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return failure == null;
        } finally {
            lock.unlock();
        }
    }

    private void dispatch() {
        try {
            while (!closed) {
                List<Pending> batch = nextBatch();
                if (batch != null) {
                    senders.execute(() -> send(batch));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until a batch is due and a request slot is free; null when closed. */
    private List<Pending> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (failure == null && inFlightRequests < settings.maxInFlight() && !pending.isEmpty()) {
                    long waitedNanos = System.nanoTime() - pending.peekFirst().enqueuedNanos();
                    long lingerNanos = TimeUnit.MILLISECONDS.toNanos(settings.lingerMs());
                    if (pending.size() >= settings.batchSize() || waitedNanos >= lingerNanos) {
                        List<Pending> batch = takeBatch();
                        if (!batch.isEmpty()) {
                            inFlightRequests++;
                            return batch;
                        }
                        changed.await(); // every pending document is in flight: wait for one to finish
                        continue;
                    }
                    changed.awaitNanos(lingerNanos - waitedNanos);
                    continue;
                }
                changed.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to batchSize actions in order, skipping documents already in flight. Holds the lock. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(settings.batchSize(), pending.size()));
        Set<String> held = new HashSet<>();
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext() && batch.size() < settings.batchSize()) {
            Pending p = it.next();
            String document = p.action().documentKey();
            if (inFlightDocuments.contains(document) || held.contains(document)) {
                held.add(document); // later actions on it must wait too, to keep their order
                continue;
            }
            it.remove();
            batch.add(p);
        }
        batch.forEach(p -> inFlightDocuments.add(p.action().documentKey()));
        return batch;
    }

    private void send(List<Pending> batch) {
        List<Pending> remaining = batch;
        int attempt = 0;
        try {
            while (!remaining.isEmpty()) {
                if (attempt > 0) {
                    Thread.sleep(backoff.delayMs(attempt));
                }
                if (closed) {
                    return;
                }
                remaining = attempt(remaining, attempt);
                if (!remaining.isEmpty() && ++attempt > settings.maxRetries()) {
                    throw new IOException("Gave up after " + settings.maxRetries() + " retries; " + remaining.size()
                            + " documents not written");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            fail(e);
        } finally {
            finished(batch);
        }
    }

    /** Sends once; returns what should be retried. Throws when the request cannot succeed. */
    private List<Pending> attempt(List<Pending> batch, int attempt) throws IOException {
        try {
            requests.incrementAndGet();
            createIndexes(batch);
            List<SearchClient.ItemResult> results =
                    client.bulk(batch.stream().map(Pending::action).toList());
            List<Pending> retry = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                SearchClient.ItemResult result = results.get(i);
                if (result.succeeded() || notFoundDelete(p, result)) {
                    p.outcome().acknowledged();
                } else if (result.retriable()) {
                    retry.add(p);
                } else if (result.malformed()) {
                    p.outcome().rejected(result.errorType(), result.reason());
                } else {
                    throw new IOException(
                            "Cluster refused " + p.action().operation().bulkName() + " of document "
                                    + p.action().id() + " in " + p.action().index() + ": " + result.status() + " "
                                    + result.errorType() + ": " + result.reason());
                }
            }
            if (!retry.isEmpty()) {
                log.debug("{} of {} documents refused for now; retry {}", retry.size(), batch.size(), attempt + 1);
                failed(new IOException(retry.size() + " of " + batch.size() + " documents refused for now"), true);
            } else {
                outage = null;
            }
            return retry;
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 429 || status >= 500) {
                log.debug("Bulk request refused with {}; retry {}", status, attempt + 1);
                failed(e, true);
                return batch;
            }
            failedRequests.incrementAndGet();
            throw e;
        } catch (IOException e) {
            if (e instanceof ResponseException) {
                throw e;
            }
            log.debug("Bulk request failed ({}); retry {}", e.toString(), attempt + 1);
            failed(e, false);
            return batch;
        }
    }

    /** Counts a failed attempt that will be retried and keeps it as the current outage's error. */
    private void failed(Exception e, boolean answered) {
        failedRequests.incrementAndGet();
        Outage current = outage;
        outage = new Outage(e, current == null ? System.currentTimeMillis() : current.sinceMillis(), answered);
    }

    private static boolean notFoundDelete(Pending p, SearchClient.ItemResult result) {
        return p.action().operation() == DocumentAction.Operation.DELETE && result.status() == 404;
    }

    private void createIndexes(List<Pending> batch) throws IOException {
        for (Pending p : batch) {
            String index = p.action().index();
            if (!createdIndexes.contains(index)) {
                if (p.action().mapping() != null || !client.indexExists(index)) {
                    client.createIndex(index, p.action().mapping());
                }
                createdIndexes.add(index);
            }
        }
    }

    private void fail(Exception e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void finished(List<Pending> batch) {
        lock.lock();
        try {
            inFlightRequests--;
            batch.forEach(p -> inFlightDocuments.remove(p.action().documentKey()));
            if (failure == null) {
                buffered -= batch.size();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending; actions without an outcome are dropped (their offsets were never committed). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        senders.shutdownNow();
        dispatcher.interrupt();
        try {
            senders.awaitTermination(10, TimeUnit.SECONDS);
            dispatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
