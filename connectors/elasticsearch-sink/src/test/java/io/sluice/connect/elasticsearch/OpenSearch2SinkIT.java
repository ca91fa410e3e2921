package io.sluice.connect.elasticsearch;

import io.sluice.testing.OpenSearch2Node;
import io.sluice.testing.SearchNode;
import java.nio.file.Path;

/** The sink contract against a real OpenSearch 2.19.1 node. */
class OpenSearch2SinkIT extends SearchSinkContractIT {

    @Override
    SearchNode startNode(Path dataDir) {
        return OpenSearch2Node.start(dataDir);
    }
}
