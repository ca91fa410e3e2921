package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.rest.security.EndpointRules;
import io.sluice.rest.security.Role;
import io.sluice.worker.TestWorker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder.BCryptVersion;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A worker with a users file: every endpoint answers 401 without or with bad credentials, 403 to a
 * role below the one it needs and lets the others through; every controller mapping has a rule;
 * the users file is re-read when it changes.
 */
class AccessControlIT {

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Path usersFile;

    static final Map<Role, String> USERS = Map.of(Role.VIEWER, "vera", Role.OPERATOR, "otto", Role.ADMIN, "ada");
    static final String PASSWORD = "correct horse battery staple";

    /** Writes one line per role; each role's hash in a different bcrypt version ($2y$, $2b$, $2a$). */
    static void writeUsers(Path file, Map<String, String[]> users) throws IOException {
        StringBuilder text = new StringBuilder("# name:bcrypt-hash:role\n\n");
        for (Map.Entry<String, String[]> u : users.entrySet()) {
            text.append(u.getKey())
                    .append(':')
                    .append(u.getValue()[0])
                    .append(':')
                    .append(u.getValue()[1])
                    .append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String hash(BCryptVersion version, String password) {
        return new BCryptPasswordEncoder(version, 4).encode(password);
    }

    @BeforeAll
    static void start() throws IOException {
        usersFile = dir.resolve("users");
        writeUsers(
                usersFile,
                Map.of(
                        "vera", new String[] {hash(BCryptVersion.$2Y, PASSWORD), "viewer"},
                        "otto", new String[] {hash(BCryptVersion.$2B, PASSWORD), "operator"},
                        "ada", new String[] {hash(BCryptVersion.$2A, PASSWORD), "admin"}));
        worker = TestWorker.start(dir.resolve("data"), "sluice.security.users-file=" + usersFile);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The status and (for errors) the body of a call; streams (SSE) are closed after the headers. */
    record Answer(int status, String body) {}

    Answer call(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<InputStream> r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            String body = r.statusCode() >= 400 ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : "";
            return new Answer(r.statusCode(), body);
        }
    }

    static String concrete(String pattern) {
        return pattern.replace("{connector}", "sec-probe")
                .replace("{task}", "0")
                .replace("{partition}", "0")
                .replace("{topic}", "sec-probe")
                .replace("{plugin}", "SequenceSourceConnector")
                .replace("{logger}", "io.sluice.probe")
                .replace("{node}", "99");
    }

    @Test
    void shouldHaveARuleForEveryControllerMapping() {
        ApplicationContext context = worker.context();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (RequestMappingHandlerMapping mapping :
                context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (var entry : mapping.getHandlerMethods().entrySet()) {
                RequestMappingInfo info = entry.getKey();
                String owner = entry.getValue().getBeanType().getName();
                for (String pattern : info.getPatternValues()) {
                    if (pattern.equals("/error") || pattern.equals("${server.error.path:/error}")) {
                        continue;
                    }
                    var methods = info.getMethodsCondition().getMethods();
                    if (!owner.startsWith("io.sluice.")) {
                        // third-party read endpoints (the OpenAPI document) fall under "every GET is viewer"
                        assertThat(methods).as("%s %s", owner, pattern).isNotEmpty();
                        methods.forEach(m -> assertThat(m.name()).as(pattern).isIn("GET", "HEAD"));
                        continue;
                    }
                    assertThat(methods)
                            .as("%s %s has no HTTP method", owner, pattern)
                            .isNotEmpty();
                    for (var m : methods) {
                        checked++;
                        if (EndpointRules.explicit(HttpMethod.valueOf(m.name()), pattern)
                                .isEmpty()) {
                            missing.add(m + " " + pattern + " (" + owner + ")");
                        }
                    }
                }
            }
        }
        assertThat(missing).as("mappings without a rule in EndpointRules").isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(EndpointRules.RULES.size());
    }

    @Test
    void shouldAnswer401Or403OrLetThroughPerRoleOnEveryEndpoint() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (EndpointRules.Rule rule : EndpointRules.RULES) {
            String method = rule.method().name();
            String path = concrete(rule.pattern());
            String what = method + " " + path;
            if (rule.role() == null) {
                expect(wrong, what + " anonymous", call(method, path, null, null), 200);
                continue;
            }
            expectDenied(wrong, what + " without credentials", call(method, path, null, null), 401);
            expectDenied(wrong, what + " with a wrong password", call(method, path, "ada", "wrong"), 401);
            expectDenied(wrong, what + " as an unknown user", call(method, path, "mallory", PASSWORD), 401);
            for (Role role : Role.values()) {
                Answer a = call(method, path, USERS.get(role), PASSWORD);
                if (role.includes(rule.role())) {
                    if (a.status() == 401 || a.status() == 403) {
                        wrong.add(what + " as " + role + ": " + a.status() + " " + a.body());
                    }
                } else {
                    expectDenied(wrong, what + " as " + role, a, 403);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static void expect(List<String> wrong, String what, Answer a, int status) {
        if (a.status() != status) {
            wrong.add(what + ": " + a.status() + " " + a.body());
        }
    }

    private static void expectDenied(List<String> wrong, String what, Answer a, int status) {
        if (a.status() != status || !a.body().contains("\"error_code\":" + status)) {
            wrong.add(what + ": expected " + status + " with the error body, got " + a.status() + " " + a.body());
        }
    }

    @Test
    void shouldLetEachRoleDoItsPartOfAConnectorsLife() throws Exception {
        Http viewer = new Http(worker.port(), "vera", PASSWORD);
        Http operator = new Http(worker.port(), "otto", PASSWORD);
        Http admin = new Http(worker.port(), "ada", PASSWORD);
        String body = Http.json(ConnectorsContractIT.source("life", "life-topic"));

        viewer.post("/connectors", body).isError(403);
        operator.post("/connectors", body).isError(403);
        assertThat(admin.post("/connectors", body).status()).isEqualTo(201);

        assertThat(viewer.get("/connectors/life").status()).isEqualTo(200);
        viewer.put("/connectors/life/pause", null).isError(403);
        assertThat(operator.put("/connectors/life/pause", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "PAUSED"
                        .equals(viewer.get("/connectors/life/status")
                                .json()
                                .path("connector")
                                .path("state")
                                .asText()));
        operator.delete("/connectors/life").isError(403);
        assertThat(admin.delete("/connectors/life").status()).isEqualTo(204);
        viewer.get("/connectors/life").isError(404);
    }

    @Test
    void shouldLetOnlyAnAdminSetALogLevelForTheWholeCluster() {
        Http operator = new Http(worker.port(), "otto", PASSWORD);
        Http admin = new Http(worker.port(), "ada", PASSWORD);
        String path = "/admin/loggers/io.sluice.rest.admin.LoggersController?scope=cluster";

        operator.put(path, "{\"level\":\"TRACE\"}").isError(403);
        assertThat(admin.get("/admin/loggers/io.sluice.rest.admin.LoggersController")
                        .json()
                        .get("level")
                        .asText())
                .isEqualTo("INFO");
        assertThat(admin.put(path, "{\"level\":\"TRACE\"}").status()).isEqualTo(204);
        assertThat(admin.get("/admin/loggers/io.sluice.rest.admin.LoggersController")
                        .json()
                        .get("level")
                        .asText())
                .isEqualTo("TRACE");
    }

    @Test
    void shouldRefuseChangesAPageOfAnotherSiteMakesTheBrowserSend() throws Exception {
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(("ada:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String self = "http://127.0.0.1:" + worker.port();
        java.util.function.BiFunction<String, String, HttpResponse<String>> restart = (method, origin) -> {
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(self + "/connectors/sec-probe/restart"))
                        .header("Authorization", auth)
                        .method(method, HttpRequest.BodyPublishers.noBody());
                if (origin != null) {
                    r.header("Origin", origin);
                }
                return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        HttpResponse<String> crossSite = restart.apply("POST", "http://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("Cross-site request refused");
        assertThat(restart.apply("POST", "http://127.0.0.1:" + (worker.port() + 1))
                        .statusCode())
                .isEqualTo(403);
        // the UI itself, and clients that send no Origin, are let through (404: no such connector)
        assertThat(restart.apply("POST", self).statusCode()).isEqualTo(404);
        assertThat(restart.apply("POST", null).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldServeTheUiAndTheCallersRoleToAViewer() throws Exception {
        Http viewer = new Http(worker.port(), "vera", PASSWORD);
        Http.Response ui = viewer.get("/ui");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("<html");
        assertThat(viewer.get("/ui/js/api.js").status()).isEqualTo(200);
        assertThat(viewer.get("/hub/whoami").json().path("role").asText()).isEqualTo("viewer");
        assertThat(new Http(worker.port(), "ada", PASSWORD)
                        .get("/hub/whoami")
                        .json()
                        .path("user")
                        .asText())
                .isEqualTo("ada");
        assertThat(call("GET", "/ui", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/actuator/health", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/hub/openapi.json", "vera", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void shouldReReadTheUsersFileWhenItChanges() throws Exception {
        Path other = dir.resolve("other-data");
        Path file = dir.resolve("users-reload");
        writeUsers(file, Map.of("pat", new String[] {hash(BCryptVersion.$2A, "first"), "viewer"}));
        try (TestWorker second = TestWorker.start(other, "sluice.security.users-file=" + file)) {
            Http first = new Http(second.port(), "pat", "first");
            assertThat(first.get("/connectors").status()).isEqualTo(200);
            first.put("/connectors/x/pause", null).isError(403);

            writeUsers(file, Map.of("pat", new String[] {hash(BCryptVersion.$2B, "second"), "operator"}));
            Http changed = new Http(second.port(), "pat", "second");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> changed.get("/connectors").status() == 200);
            first.get("/connectors").isError(401);
            changed.put("/connectors/x/pause", null).isError(404);

            // a broken edit keeps the users in force
            Files.writeString(file, "pat:not-a-hash:operator\n");
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> changed.get("/connectors").status() == 200);
        }
    }
}
