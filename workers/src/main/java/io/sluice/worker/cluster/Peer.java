package io.sluice.worker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One worker of the static peer list: {@code id@host:port}. Immutable. */
public record Peer(int id, String host, int port) {

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }

    /**
     * Parses {@code sluice.cluster.peers}; every error names the entry.
     *
     * @throws IllegalArgumentException for an empty list, a malformed entry or a repeated id/address
     */
    public static List<Peer> parseList(String peers) {
        if (peers == null || peers.isBlank()) {
            throw new IllegalArgumentException("sluice.cluster.peers is empty; expected id@host:port,...");
        }
        Map<Integer, Peer> byId = new TreeMap<>();
        List<String> addresses = new ArrayList<>();
        for (String raw : peers.split(",")) {
            Peer p = parse(raw.trim());
            if (byId.put(p.id(), p) != null) {
                throw new IllegalArgumentException("sluice.cluster.peers lists node id " + p.id() + " twice");
            }
            if (addresses.contains(p.address())) {
                throw new IllegalArgumentException("sluice.cluster.peers lists address " + p.address() + " twice");
            }
            addresses.add(p.address());
        }
        return List.copyOf(byId.values());
    }

    static Peer parse(String entry) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || colon == entry.length() - 1) {
            throw new IllegalArgumentException(
                    "sluice.cluster.peers entry '" + entry + "' is not of the form id@host:port");
        }
        try {
            int id = Integer.parseInt(entry.substring(0, at));
            int port = Integer.parseInt(entry.substring(colon + 1));
            if (id < 1 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new Peer(id, entry.substring(at + 1, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "sluice.cluster.peers entry '" + entry + "' needs a positive integer id and a port in 1..65535");
        }
    }

    /** The canonical form of a list: sorted by id, comma-separated. */
    public static String format(List<Peer> peers) {
        return String.join(",", peers.stream().map(Peer::toString).sorted().toList());
    }

    /** The entries that differ between {@code mine} and {@code theirs}, for an error message; empty if equal. */
    public static String differences(List<Peer> mine, List<Peer> theirs) {
        List<String> out = new ArrayList<>();
        for (Peer p : mine) {
            if (!theirs.contains(p)) {
                out.add("this worker has " + p
                        + theirs.stream()
                                .filter(t -> t.id() == p.id())
                                .findFirst()
                                .map(t -> " where the cluster has " + t)
                                .orElse(" which the cluster does not have"));
            }
        }
        for (Peer t : theirs) {
            if (mine.stream().noneMatch(p -> p.id() == t.id())) {
                out.add("the cluster has " + t + " which this worker does not have");
            }
        }
        return String.join("; ", out);
    }
}
