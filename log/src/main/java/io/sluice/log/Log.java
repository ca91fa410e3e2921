package io.sluice.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's record log on one node: topics of partitions stored under one data directory.
 *
 * <p>Threading: all methods are thread-safe. Background threads flush partitions under
 * {@code flush=interval}, enforce retention and run compaction; {@link #close()} stops them and
 * flushes everything. Opening never fails because of damaged partition files: such partitions come
 * up offline (see {@link PartitionLog#offlineReason()}) and the rest work.
 */
public final class Log implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Log.class);
    private static final long FLUSH_TICK_MS = 50;

    private final LogOptions options;
    private final CommitSignal commitSignal = new CommitSignal();
    private final LogContext context;
    private final ScheduledExecutorService maintenance;
    private final ScheduledExecutorService flusher;
    private final Map<String, List<PartitionLog>> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lastFlush = new ConcurrentHashMap<>();
    private final Object maintenanceLock = new Object();
    private volatile boolean closed;

    private Log(LogOptions options) {
        this.options = options;
        this.maintenance = new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("sluice-log-maintenance"));
        this.flusher = new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("sluice-log-flusher"));
        for (ScheduledExecutorService e : List.of(maintenance, flusher)) {
            ((java.util.concurrent.ScheduledThreadPoolExecutor) e)
                    .setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        this.context = new LogContext(
                options.clock(), flusher, options.fileDeleteDelay().toMillis(), options.autoCommit(), commitSignal);
    }

    /** Opens the log in {@code options.dataDir()}, recovering every partition found there. */
    public static Log open(LogOptions options) {
        Log log = new Log(options);
        try {
            Files.createDirectories(options.dataDir());
            log.loadTopics();
        } catch (IOException e) {
            log.close();
            throw new UncheckedIOException("cannot open the log in " + options.dataDir(), e);
        }
        log.startBackgroundWork();
        return log;
    }

    private void loadTopics() throws IOException {
        try (Stream<Path> dirs = Files.list(options.dataDir())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (!TopicStore.exists(dir)) {
                    continue;
                }
                String name = dir.getFileName().toString();
                try {
                    openTopic(name, TopicStore.read(dir));
                } catch (IOException | LogException e) {
                    LOG.error("Topic {} cannot be loaded from {}: {}", name, dir, e.getMessage());
                }
            }
        }
    }

    private static final String CLEARED = ".cleared-";

    /** Deletes a directory tree, logging (not throwing) what could not be deleted. */
    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn(
                    "Could not delete {} (a cleared partition; deleted again at the next start): {}",
                    dir,
                    e.toString());
        }
    }

    private void openTopic(String name, TopicConfig config) {
        try (Stream<Path> leftovers = Files.list(options.dataDir().resolve(name))) {
            leftovers
                    .filter(d -> d.getFileName().toString().contains(CLEARED))
                    .toList()
                    .forEach(Log::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("No cleared partitions listed under topic {}: {}", name, e.toString());
        }
        List<PartitionLog> partitions = new ArrayList<>(config.partitions());
        for (int p = 0; p < config.partitions(); p++) {
            TopicPartition tp = new TopicPartition(name, p);
            partitions.add(PartitionLog.open(
                    tp, options.dataDir().resolve(name).resolve(Integer.toString(p)), config, context));
        }
        topics.put(name, List.copyOf(partitions));
    }

    private void startBackgroundWork() {
        flusher.scheduleWithFixedDelay(this::flushDue, FLUSH_TICK_MS, FLUSH_TICK_MS, TimeUnit.MILLISECONDS);
        long retention = options.retentionCheckInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::enforceRetention, retention, retention, TimeUnit.MILLISECONDS);
        long cleaner = options.cleanerInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::compact, cleaner, cleaner, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates a topic with {@code overrides} on top of the log's defaults. Creating an existing topic
     * with the same partition count is a no-op returning {@code false}.
     */
    public synchronized boolean createTopic(String name, Map<String, String> overrides) {
        TopicNames.validate(name);
        TopicConfig config = options.topicDefaults().with(overrides);
        List<PartitionLog> existing = topics.get(name);
        if (existing != null) {
            if (existing.size() != config.partitions()) {
                throw new TopicExistsException("topic " + name + " already exists with " + existing.size()
                        + " partitions, not " + config.partitions());
            }
            return false;
        }
        try {
            TopicStore.write(options.dataDir().resolve(name), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create topic " + name, e);
        }
        openTopic(name, config);
        LOG.info("Created topic {} with {} partitions", name, config.partitions());
        return true;
    }

    /** Changes settings of an existing topic (the partition count can only grow). */
    public synchronized TopicConfig alterTopic(String name, Map<String, String> overrides) {
        List<PartitionLog> parts = partitionsOf(name);
        TopicConfig updated = parts.get(0).config().with(overrides);
        if (updated.partitions() < parts.size()) {
            throw new InvalidConfigException(
                    List.of("partitions=" + updated.partitions() + " cannot shrink from " + parts.size()));
        }
        try {
            TopicStore.write(options.dataDir().resolve(name), updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update topic " + name, e);
        }
        List<PartitionLog> grown = new ArrayList<>(parts);
        for (int p = parts.size(); p < updated.partitions(); p++) {
            TopicPartition tp = new TopicPartition(name, p);
            grown.add(PartitionLog.open(
                    tp, options.dataDir().resolve(name).resolve(Integer.toString(p)), updated, context));
        }
        grown.forEach(p -> p.updateConfig(updated));
        topics.put(name, List.copyOf(grown));
        return updated;
    }

    public synchronized void deleteTopic(String name) {
        List<PartitionLog> parts = topics.remove(name);
        if (parts == null) {
            throw new UnknownTopicException("unknown topic " + name);
        }
        parts.forEach(PartitionLog::close);
        try (Stream<Path> files = Files.walk(options.dataDir().resolve(name))) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete topic " + name, e);
        }
        LOG.info("Deleted topic {}", name);
    }

    /**
     * Empties one partition: its files are deleted and it starts again at offset 0, as a partition
     * never written. Used when this node's replica of the partition moved to another node. A reader
     * holding the old {@link PartitionLog} sees it closed.
     */
    public synchronized void clearPartition(TopicPartition tp) {
        List<PartitionLog> parts = new ArrayList<>(partitionsOf(tp.topic()));
        PartitionLog old = partition(tp);
        TopicConfig config = old.config();
        old.close();
        Path dir = options.dataDir().resolve(tp.topic()).resolve(Integer.toString(tp.partition()));
        // renamed first, so a file a late reader or flush creates meanwhile cannot make the delete fail
        // half-way; a leftover is ignored (partitions are opened by number) and deleted at the next open
        Path cleared = dir.resolveSibling(tp.partition() + CLEARED + System.nanoTime());
        try {
            if (Files.exists(dir)) {
                Files.move(dir, cleared, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear partition " + tp + " (renaming " + dir + ")", e);
        }
        deleteQuietly(cleared);
        parts.set(tp.partition(), PartitionLog.open(tp, dir, config, context));
        topics.put(tp.topic(), List.copyOf(parts));
        lastFlush.remove(tp);
        LOG.info("Cleared partition {}: its replica moved away", tp);
    }

    /** Signals every advance of any partition's commit point (for readers of many partitions). */
    public CommitSignal commitSignal() {
        return commitSignal;
    }

    public Set<String> topics() {
        return new TreeSet<>(topics.keySet());
    }

    public Optional<TopicConfig> topicConfig(String name) {
        List<PartitionLog> parts = topics.get(name);
        return parts == null ? Optional.empty() : Optional.of(parts.get(0).config());
    }

    public List<PartitionLog> partitionsOf(String topic) {
        List<PartitionLog> parts = topics.get(topic);
        if (parts == null) {
            throw new UnknownTopicException("unknown topic " + topic);
        }
        return parts;
    }

    public PartitionLog partition(TopicPartition tp) {
        List<PartitionLog> parts = partitionsOf(tp.topic());
        if (tp.partition() >= parts.size()) {
            throw new UnknownTopicException(
                    "topic " + tp.topic() + " has no partition " + tp.partition() + " (it has " + parts.size() + ")");
        }
        return parts.get(tp.partition());
    }

    public PartitionLog partition(String topic, int partition) {
        return partition(new TopicPartition(topic, partition));
    }

    /**
     * Runs retention and compaction on every partition now (normally they run in the background).
     * Blocks while a background run is under way: runs never overlap.
     */
    public void runMaintenance() {
        enforceRetention();
        compact();
    }

    private void flushDue() {
        long now = System.currentTimeMillis();
        for (List<PartitionLog> parts : topics.values()) {
            for (PartitionLog p : parts) {
                TopicConfig cfg = p.config();
                if (cfg.flush() != FlushPolicy.INTERVAL || !p.isOnline()) {
                    continue;
                }
                long last = lastFlush.getOrDefault(p.topicPartition(), 0L);
                if (now - last >= cfg.flushIntervalMs()) {
                    lastFlush.put(p.topicPartition(), now);
                    runQuietly("flush", p, () -> p.flush());
                }
            }
        }
    }

    // Retention and compaction hold maintenanceLock: two compactions of one partition would write the
    // same .cleaned file, and retention must not retire segments a compaction is rewriting.
    private void enforceRetention() {
        synchronized (maintenanceLock) {
            long now = options.clock().getAsLong();
            forEachPartition("retention", p -> Retention.enforce(p, now));
        }
    }

    private void compact() {
        synchronized (maintenanceLock) {
            long now = options.clock().getAsLong();
            forEachPartition("compaction", p -> Compactor.compact(p, now));
        }
    }

    private interface PartitionTask {
        void run(PartitionLog p) throws IOException;
    }

    private interface Action {
        void run() throws IOException;
    }

    private void forEachPartition(String what, PartitionTask task) {
        for (List<PartitionLog> parts : topics.values()) {
            for (PartitionLog p : parts) {
                if (closed) {
                    return;
                }
                runQuietly(what, p, () -> task.run(p));
            }
        }
    }

    private static void runQuietly(String what, PartitionLog p, Action action) {
        try {
            action.run();
        } catch (PartitionOfflineException e) {
            LOG.debug("{} skipped: {}", what, e.getMessage());
        } catch (CorruptRecordException e) {
            p.goOffline(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} of {} failed: {}", what, p.topicPartition(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Never interrupt these threads: an interrupt during FileChannel I/O closes the channel.
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flusher.shutdown(); // pending deferred deletes are dropped; the next start-up removes their files
        for (List<PartitionLog> parts : topics.values()) {
            parts.forEach(PartitionLog::close);
        }
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
