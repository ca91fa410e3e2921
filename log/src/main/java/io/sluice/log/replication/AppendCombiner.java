package io.sluice.log.replication;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Combines appends that threads make to one partition at the same time into one Raft entry, so a
 * replica forces its log once for all of them (as a Kafka producer batches per partition), and sends
 * an append too large for one entry as several entries in a row. No thread of its own: the first
 * caller sends, others queue; after each turn the sender hands the next one to the oldest waiting
 * caller, so no caller keeps sending for others. A caller's appends keep their order because each
 * waits for its reply before the next; the entries of one split append are sent one after the other
 * in one turn, each after the previous one was acknowledged, with no other append of this combiner
 * between them.
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

    /**
     * What became of the entries of one append: the replies of those that were sent, in order, and
     * the failure that stopped the rest, if any. Sending stops early, without a failure, after a reply
     * whose status is not OK (a fenced producer): the following entries would be refused too.
     */
    record Replies(List<ByteBuffer> replies, RuntimeException failure) {}

    private static final class Pending {
        final List<PartitionMessages.Item> parts;
        final CompletableFuture<Replies> reply = new CompletableFuture<>();
        final CompletableFuture<Void> turn = new CompletableFuture<>();

        Pending(List<PartitionMessages.Item> parts) {
            this.parts = parts;
        }

        boolean split() {
            return parts.size() > 1;
        }
    }

    /** Sends the append (alone or with others) and returns its own reply; throws when it failed. */
    ByteBuffer append(PartitionMessages.Item item) throws InterruptedException {
        Replies r = appendAll(List.of(item));
        if (r.failure() != null) {
            throw r.failure();
        }
        return r.replies().get(0);
    }

    /**
     * Sends {@code parts} (at least one; each fits one entry) as consecutive entries, a single part
     * possibly combined with other callers' appends, and returns what became of them.
     */
    Replies appendAll(List<PartitionMessages.Item> parts) throws InterruptedException {
        Pending mine = new Pending(List.copyOf(parts));
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
                throw new IllegalStateException("replies are never completed exceptionally", e);
            } catch (InterruptedException e) {
                withdraw(mine);
                throw e;
            }
        }
        if (!mine.reply.isDone()) {
            sendRound(); // it is this caller's turn: its append is at the head of the queue
        }
        return mine.reply.join();
    }

    private void sendRound() {
        List<Pending> round = new ArrayList<>();
        synchronized (this) {
            if (queue.peek().split()) {
                round.add(queue.poll());
            } else {
                int bytes = 0;
                while (!queue.isEmpty() && !queue.peek().split()) {
                    int size = queue.peek().parts.get(0).batch().remaining() + 16;
                    if (!round.isEmpty() && bytes + size > maxBytes) {
                        break;
                    }
                    bytes += size;
                    round.add(queue.poll());
                }
            }
        }
        try {
            if (round.get(0).split()) {
                sendInTurn(round.get(0));
            } else {
                sendCombined(round);
            }
        } finally {
            synchronized (this) {
                passTurn();
            }
        }
    }

    private void sendCombined(List<Pending> round) {
        try {
            List<ByteBuffer> replies =
                    send.apply(round.stream().map(p -> p.parts.get(0)).toList());
            for (int i = 0; i < round.size(); i++) {
                round.get(i).reply.complete(new Replies(List.of(replies.get(i)), null));
            }
        } catch (RuntimeException e) {
            round.forEach(p -> p.reply.complete(new Replies(List.of(), e)));
        }
    }

    /** Each part as its own entry, the next only once the previous one was acknowledged. */
    private void sendInTurn(Pending p) {
        List<ByteBuffer> replies = new ArrayList<>(p.parts.size());
        try {
            for (PartitionMessages.Item part : p.parts) {
                ByteBuffer reply = send.apply(List.of(part)).get(0);
                replies.add(reply);
                if (reply.get(reply.position()) != PartitionMessages.OK) {
                    break;
                }
            }
            p.reply.complete(new Replies(List.copyOf(replies), null));
        } catch (RuntimeException e) {
            p.reply.complete(new Replies(List.copyOf(replies), e));
        }
    }

    /** Gives the next turn to the oldest waiting caller, if any. Caller holds the lock. */
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
