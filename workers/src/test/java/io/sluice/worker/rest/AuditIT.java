package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The audit trail of a connector's life: create (admin), pause (operator), a delete refused to the
 * operator, delete (admin), each listed at {@code /hub/audit} with who, what, when, from where and
 * the answer, newest first; it survives a restart of the worker.
 */
class AuditIT {

    @TempDir
    Path dir;

    @Test
    void shouldListWhoChangedWhatWhenAndFromWhere() throws Exception {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Path users = dir.resolve("users");
        Files.writeString(
                users,
                "ada:" + bcrypt.encode("a") + ":admin\notto:" + bcrypt.encode("o") + ":operator\nvera:"
                        + bcrypt.encode("v") + ":viewer\n");
        long before = System.currentTimeMillis();
        try (TestWorker worker = TestWorker.start(dir.resolve("data"), "sluice.security.users-file=" + users)) {
            Http admin = new Http(worker.port(), "ada", "a");
            Http operator = new Http(worker.port(), "otto", "o");
            assertThat(admin.post("/connectors", Http.json(ConnectorsContractIT.source("audited", "audited")))
                            .status())
                    .isEqualTo(201);
            assertThat(operator.put("/connectors/audited/pause", null).status()).isEqualTo(202);
            operator.delete("/connectors/audited").isError(403);
            assertThat(admin.delete("/connectors/audited").status()).isEqualTo(204);
            assertThat(new Http(worker.port(), "vera", "v").get("/connectors").status())
                    .isEqualTo(200);
        }
        try (TestWorker worker = TestWorker.start(dir.resolve("data"), "sluice.security.users-file=" + users)) {
            Http viewer = new Http(worker.port(), "vera", "v");
            Http.Response audit = viewer.get("/hub/audit?limit=10");
            assertThat(audit.status()).isEqualTo(200);
            List<String> trail = new ArrayList<>();
            for (JsonNode e : audit.json()) {
                trail.add(e.path("user").asText() + " " + e.path("method").asText() + " "
                        + e.path("path").asText() + " " + e.path("status").asInt());
                assertThat(e.path("remote_address").asText()).isEqualTo("127.0.0.1");
                assertThat(e.path("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
                assertThat(e.path("worker").asText()).isNotBlank();
            }
            assertThat(trail)
                    .containsExactly(
                            "ada DELETE /connectors/audited 204",
                            "otto DELETE /connectors/audited 403",
                            "otto PUT /connectors/audited/pause 202",
                            "ada POST /connectors 201");
            viewer.get("/hub/audit?limit=0").isError(400);
            assertThat(viewer.get("/hub/audit").text()).doesNotContain("\"config\"");
        }
    }
}
