package io.sluice.worker.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.worker.store.JsonCodec;
import io.sluice.worker.store.TaskEpoch;
import java.util.Map;

/**
 * One entry of the metadata group's log: changes to one or more shared compacted topics, applied
 * together. When {@code expectedGeneration} is set (an assignment by the metadata leader), the entry
 * applies only if the assignment generation is still that one, so an assignment computed by a leader
 * that has since been replaced is dropped. When {@code writer} is set (a task's offset commit), the
 * entry applies only if no newer epoch of that task has committed offsets (a zombie is refused).
 *
 * @param changes topic → key → new value ({@code null} removes the key)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Command(
        @JsonProperty("expected_generation") Long expectedGeneration,
        @JsonProperty("writer") TaskEpoch writer,
        @JsonProperty("changes") Map<String, Map<String, byte[]>> changes) {

    Command(Long expectedGeneration, Map<String, Map<String, byte[]>> changes) {
        this(expectedGeneration, null, changes);
    }

    private static final TypeReference<Command> TYPE = new TypeReference<>() {};

    byte[] encode() {
        return JsonCodec.write(this);
    }

    static Command decode(byte[] bytes) {
        return JsonCodec.read(bytes, TYPE, "metadata command");
    }
}
