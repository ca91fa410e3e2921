package io.sluice.core.hub;

import java.util.List;

/**
 * A task's recent throughput and lag, oldest point first.
 *
 * @param task the task's number within its connector
 * @param points samples at a fixed period (epoch milliseconds, records per second, sink lag)
 */
public record TaskSeries(int task, List<Point> points) {

    public TaskSeries {
        points = List.copyOf(points);
    }

    /** One sample. */
    public record Point(long at, double recordsPerSecond, long lag) {}
}
