package io.sluice.rest.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.hub.WorkerRemoval;
import io.sluice.core.hub.WorkerRemoval.Outcome;
import io.sluice.rest.errors.RestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpStatus;

class WorkersControllerTest {

    private static WorkersController answering(Outcome outcome, String message) {
        WorkerRemoval removal = node -> new WorkerRemoval.Result(outcome, message, List.of(1, 2, 3));
        return new WorkersController(
                new StaticListableBeanFactory(Map.of("removal", removal)).getBeanProvider(WorkerRemoval.class));
    }

    private static HttpStatus statusOf(Runnable call) {
        try {
            call.run();
        } catch (RestException e) {
            return e.status();
        }
        throw new AssertionError("no error");
    }

    @Test
    void shouldAnswerTheMembersLeftWhenAWorkerWasRemoved() {
        WorkersController.Removed removed =
                answering(Outcome.REMOVED, "Worker 4 was removed").remove("4");

        assertThat(removed.members()).containsExactly(1, 2, 3);
        assertThat(removed.message()).isEqualTo("Worker 4 was removed");
    }

    @Test
    void shouldMapEachRefusalToItsStatus() {
        assertThat(statusOf(() -> answering(Outcome.UNKNOWN_NODE, "x").remove("9")))
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(statusOf(() -> answering(Outcome.REFUSED, "x").remove("1"))).isEqualTo(HttpStatus.CONFLICT);
        assertThat(statusOf(() -> answering(Outcome.UNAVAILABLE, "x").remove("1")))
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void shouldRefuseANodeIdThatIsNotAPositiveNumberNamingIt() {
        assertThatThrownBy(() -> answering(Outcome.REMOVED, "x").remove("four"))
                .isInstanceOf(RestException.class)
                .hasMessageContaining("node-id")
                .hasMessageContaining("four");
        assertThat(statusOf(() -> answering(Outcome.REMOVED, "x").remove("0"))).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void shouldSayAWorkerWithoutAClusterHasNoWorkerToRemove() {
        WorkersController single =
                new WorkersController(new StaticListableBeanFactory().getBeanProvider(WorkerRemoval.class));

        assertThatThrownBy(() -> single.remove("2")).hasMessageContaining("not in a cluster");
    }
}
