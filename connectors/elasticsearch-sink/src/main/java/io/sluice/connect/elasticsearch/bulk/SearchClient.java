package io.sluice.connect.elasticsearch.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig;
import io.sluice.connect.elasticsearch.document.DocumentAction;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The few cluster calls the sink makes (bulk, create index), over Elastic's low-level REST client.
 * Thread-safe: the client pools connections and spreads requests over the configured nodes,
 * skipping nodes that fail until they come back.
 */
public final class SearchClient implements Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final RestClient rest;

    public SearchClient(RestClient rest) {
        this.rest = rest;
    }

    /** A client for the configured nodes, with a pool sized for the in-flight limit. */
    public static SearchClient create(ElasticsearchSinkConfig config) {
        HttpHost[] hosts =
                config.connectionUrls().stream().map(HttpHost::create).toArray(HttpHost[]::new);
        int connections = Math.max(10, config.maxInFlightRequests() * 2);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setRequestConfigCallback(request -> request.setConnectTimeout(config.connectionTimeoutMs())
                        .setSocketTimeout(config.readTimeoutMs()))
                .setHttpClientConfigCallback(http -> {
                    http.setMaxConnTotal(connections).setMaxConnPerRoute(connections);
                    if (config.username() != null) {
                        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                        credentials.setCredentials(
                                AuthScope.ANY,
                                new UsernamePasswordCredentials(
                                        config.username(), config.password().value()));
                        http.setDefaultCredentialsProvider(credentials);
                    }
                    return http;
                });
        return new SearchClient(builder.build());
    }

    /**
     * Creates the index with the given body ({@code {"mappings":...}}, or null for dynamic
     * mapping); an index that already exists is fine.
     */
    public void createIndex(String index, String body) throws IOException {
        Request request = new Request("PUT", "/" + index);
        if (body != null) {
            request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        try {
            rest.performRequest(request);
        } catch (ResponseException e) {
            String error = errorType(e.getResponse());
            if (!"resource_already_exists_exception".equals(error)) {
                throw e;
            }
        }
    }

    /**
     * Whether the cluster answers at all (any HTTP status) to {@code GET /}; false when it cannot be
     * reached within the connection and read timeouts.
     */
    public boolean answers() {
        try {
            rest.performRequest(new Request("GET", "/"));
            return true;
        } catch (ResponseException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The HTTP status of {@code GET /} (200 when the node serves requests, 401 when it refuses the
     * credentials).
     *
     * @throws IOException when the node cannot be reached
     */
    public int rootStatus() throws IOException {
        try {
            return rest.performRequest(new Request("GET", "/")).getStatusLine().getStatusCode();
        } catch (ResponseException e) {
            return e.getResponse().getStatusLine().getStatusCode();
        }
    }

    /** Whether an index exists. */
    public boolean indexExists(String index) throws IOException {
        try {
            return rest.performRequest(new Request("HEAD", "/" + index))
                            .getStatusLine()
                            .getStatusCode()
                    == 200;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Sends one bulk request. A non-2xx status for the whole request comes back as a
     * {@link ResponseException}; per-document outcomes are in the returned list, in request order.
     */
    public List<ItemResult> bulk(List<DocumentAction> actions) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.setEntity(new ByteArrayEntity(ndjson(actions), NDJSON));
        Response response = rest.performRequest(request);
        JsonNode items;
        try (InputStream in = response.getEntity().getContent()) {
            items = MAPPER.readTree(in).path("items");
        }
        List<ItemResult> results = new ArrayList<>(actions.size());
        for (JsonNode item : items) {
            JsonNode outcome = item.elements().next();
            JsonNode error = outcome.path("error");
            results.add(new ItemResult(
                    outcome.path("status").asInt(),
                    error.isMissingNode() ? null : error.path("type").asText(),
                    error.isMissingNode() ? null : error.path("reason").asText()));
        }
        if (results.size() != actions.size()) {
            throw new IOException("Bulk response has " + results.size() + " items for " + actions.size() + " actions");
        }
        return results;
    }

    static byte[] ndjson(List<DocumentAction> actions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(actions.size() * 256);
        for (DocumentAction action : actions) {
            var meta = MAPPER.createObjectNode();
            var target = meta.putObject(action.operation().bulkName());
            target.put("_index", action.index());
            target.put("_id", action.id());
            if (action.operation() == DocumentAction.Operation.UPDATE) {
                target.put("retry_on_conflict", 3);
            }
            MAPPER.writeValue(out, meta);
            out.write('\n');
            if (action.source() != null) {
                out.write(action.source());
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static String errorType(Response response) {
        try (InputStream in = response.getEntity().getContent()) {
            return MAPPER.readTree(in).path("error").path("type").asText();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }

    /** One document's outcome in a bulk response. {@code errorType} is null on success. */
    public record ItemResult(int status, String errorType, String reason) {

        public boolean succeeded() {
            return errorType == null && status < 300;
        }

        /** Worth sending again: the node was busy or failing, not the document. */
        public boolean retriable() {
            return status == 429 || status >= 500;
        }

        /** The document itself was refused (bad field value, mapping conflict). */
        public boolean malformed() {
            return status == 400;
        }
    }
}
