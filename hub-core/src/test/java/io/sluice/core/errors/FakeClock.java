package io.sluice.core.errors;

import java.util.ArrayList;
import java.util.List;

/** A clock whose sleeps return at once, advance time and are recorded. */
final class FakeClock implements BackoffClock {

    long now = 1_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void sleep(long millis) {
        sleeps.add(millis);
        now += millis;
    }
}
