package io.sluice.rest.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.hub.TopicInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The JSON of a topic's partitions: unchanged on a single worker, with placement in a cluster. */
class HubJsonTest {

    /** Configured as the REST API's mapper is (Spring Boot's builder: Optional and java.time known). */
    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();

    private static JsonNode partition(TopicInfo.PartitionInfo p) {
        return JSON.valueToTree(HubJson.Partition.of(p));
    }

    @Test
    void shouldShowASingleWorkersPartitionWithoutPlacementFields() {
        JsonNode p = partition(new TopicInfo.PartitionInfo(0, 5, 120, 4096));

        assertThat(p.fieldNames())
                .toIterable()
                .containsExactly(
                        "partition",
                        "log_start_offset",
                        "end_offset",
                        "size_bytes",
                        "state",
                        "damage",
                        "offline_reason");
        assertThat(p.get("end_offset").asLong()).isEqualTo(120);
    }

    @Test
    void shouldShowWhereAReplicatedPartitionLives() {
        JsonNode p = partition(new TopicInfo.PartitionInfo(
                2,
                0,
                2000,
                28_522,
                TopicInfo.State.ONLINE,
                List.of(),
                null,
                new TopicInfo.Placement("3", List.of("2", "3", "4"), List.of("2"), true, null)));

        assertThat(p.get("leader").asText()).isEqualTo("3");
        assertThat(p.get("replicas")).hasToString("[\"2\",\"3\",\"4\"]");
        assertThat(p.get("unreachable_replicas")).hasToString("[\"2\"]");
        assertThat(p.get("available").asBoolean()).isTrue();
        assertThat(p.has("reason")).isFalse();
        assertThat(p.get("end_offset").asLong()).isEqualTo(2000);
    }

    @Test
    void shouldShowAnUnavailablePartitionWithItsReasonUnknownOffsetsAndANullLeader() {
        JsonNode p = partition(new TopicInfo.PartitionInfo(
                0,
                -1,
                -1,
                -1,
                TopicInfo.State.OFFLINE,
                List.of(),
                "not readable in the cluster now: no leader",
                new TopicInfo.Placement(null, List.of("1", "2", "3"), List.of("1", "2"), false, "no leader")));

        assertThat(p.get("available").asBoolean()).isFalse();
        assertThat(p.get("reason").asText()).isEqualTo("no leader");
        assertThat(p.has("leader")).isTrue();
        assertThat(p.get("leader").isNull()).isTrue();
        assertThat(p.get("end_offset").isNull()).isTrue();
        assertThat(p.get("log_start_offset").isNull()).isTrue();
        assertThat(p.get("size_bytes").isNull()).isTrue();
    }

    @Test
    void shouldCountOnlyKnownSizesInATopicsSize() {
        TopicInfo topic = new TopicInfo(
                "orders",
                false,
                List.of(
                        new TopicInfo.PartitionInfo(0, 0, 10, 1000),
                        new TopicInfo.PartitionInfo(
                                1,
                                -1,
                                -1,
                                -1,
                                TopicInfo.State.OFFLINE,
                                List.of(),
                                "unreadable",
                                new TopicInfo.Placement(null, List.of(), List.of(), false, "unreadable"))));

        assertThat(HubJson.Topic.of(topic).sizeBytes()).isEqualTo(1000);
    }
}
