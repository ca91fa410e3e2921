package io.sluice.connect.elasticsearch;

import io.sluice.testing.Elasticsearch7Node;
import io.sluice.testing.SearchNode;
import java.nio.file.Path;

/** The sink contract against a real Elasticsearch 7.10.2 node. */
class Elasticsearch7SinkIT extends SearchSinkContractIT {

    @Override
    SearchNode startNode(Path dataDir) {
        return Elasticsearch7Node.start(dataDir);
    }
}
