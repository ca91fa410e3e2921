package io.sluice.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TaskIdTest {

    @Test
    void shouldRenderAsConnectorDashTaskAndOrderNumerically() {
        TreeSet<TaskId> ids = new TreeSet<>(List.of(new TaskId("b", 0), new TaskId("a", 10), new TaskId("a", 2)));

        assertThat(new TaskId("orders-sink", 3)).hasToString("orders-sink-3");
        assertThat(ids).containsExactly(new TaskId("a", 2), new TaskId("a", 10), new TaskId("b", 0));
    }

    @Test
    void shouldRejectANegativeTaskIndex() {
        assertThatThrownBy(() -> new TaskId("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
