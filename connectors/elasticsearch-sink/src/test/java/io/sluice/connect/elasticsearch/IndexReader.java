package io.sluice.connect.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Reads what tests check back from the cluster: counts, documents, mappings. */
final class IndexReader implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RestClient rest;

    IndexReader(String url) {
        this.rest = RestClient.builder(HttpHost.create(url)).build();
    }

    long count(String index) throws IOException {
        rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        return get("/" + index + "/_count").path("count").asLong();
    }

    /** The document's source, or null when it does not exist. */
    JsonNode document(String index, String id) throws IOException {
        try {
            return get("/" + index + "/_doc/" + id).path("_source");
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    JsonNode properties(String index) throws IOException {
        return get("/" + index + "/_mapping").path(index).path("mappings").path("properties");
    }

    JsonNode get(String path) throws IOException {
        try (InputStream in =
                rest.performRequest(new Request("GET", path)).getEntity().getContent()) {
            return MAPPER.readTree(in);
        }
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
