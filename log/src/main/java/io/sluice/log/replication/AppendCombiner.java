package io.sluice.log.replication;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Combines appends that threads make to one partition at the same time into one Raft entry, so a
 * replica forces its log once for all of them (as a Kafka producer batches per partition). No thread
 * of its own: the first caller sends, others queue; after each entry the sender hands the next one
 * to the oldest waiting caller, so no caller keeps sending for others. A caller's appends keep their
 * order because each waits for its reply before the next.
 *
 * <p>Thread-safe. {@code send} turns a list of appends into one reply per append (in order) and may
 * throw: then every append of that entry fails with the same exception.
 */
final class AppendCombiner {

    private final int maxBytes;
    private final Function<List<PartitionMessages.Item>, List<ByteBuffer>> send;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean sending;

    AppendCombiner(int maxBytes, Function<List<PartitionMessages.Item>, List<ByteBuffer>> send) {
        this.maxBytes = maxBytes;
        this.send = send;
    }

    private static final class Pending {
        final PartitionMessages.Item item;
        final CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
        final CompletableFuture<Void> turn = new CompletableFuture<>();

        Pending(PartitionMessages.Item item) {
            this.item = item;
        }
    }

    /** Sends the append (alone or with others) and returns its own reply. */
    ByteBuffer append(PartitionMessages.Item item) throws InterruptedException {
        Pending mine = new Pending(item);
        boolean sender;
        synchronized (this) {
            queue.add(mine);
            sender = !sending;
            sending = true;
        }
        if (!sender) {
            try {
                CompletableFuture.anyOf(mine.reply, mine.turn).get();
            } catch (java.util.concurrent.ExecutionException e) {
                // the reply failed: reported below
            } catch (InterruptedException e) {
                withdraw(mine);
                throw e;
            }
        }
        if (!mine.reply.isDone()) {
            sendRound(); // it is this caller's turn: its append is at the head of the queue
        }
        try {
            return mine.reply.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new ReplicationException("append failed: " + cause, cause);
        }
    }

    private void sendRound() {
        List<Pending> round = new ArrayList<>();
        synchronized (this) {
            int bytes = 0;
            while (!queue.isEmpty()) {
                int size = queue.peek().item.batch().remaining() + 16;
                if (!round.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                bytes += size;
                round.add(queue.poll());
            }
        }
        try {
            List<ByteBuffer> replies =
                    send.apply(round.stream().map(p -> p.item).toList());
            for (int i = 0; i < round.size(); i++) {
                round.get(i).reply.complete(replies.get(i));
            }
        } catch (RuntimeException e) {
            round.forEach(p -> p.reply.completeExceptionally(e));
        } finally {
            synchronized (this) {
                passTurn();
            }
        }
    }

    /** Gives the next entry to the oldest waiting caller, if any. Caller holds the lock. */
    private void passTurn() {
        Pending next = queue.peek();
        sending = next != null;
        if (next != null) {
            next.turn.complete(null);
        }
    }

    /** An interrupted caller leaves the queue (if its append was not sent yet) without stalling it. */
    private synchronized void withdraw(Pending mine) {
        if (queue.remove(mine) && mine.turn.isDone()) {
            passTurn();
        }
    }
}
