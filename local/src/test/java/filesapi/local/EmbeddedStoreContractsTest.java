package filesapi.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The port contract suites against the adapters on the embedded emulators: InMemoryDynamoDb and S3Proxy. */
class EmbeddedStoreContractsTest {
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.embedded();
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Nested
    class Files extends StoreContracts.Files {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Links extends StoreContracts.Links {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Uploads extends StoreContracts.Uploads {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Idempotency extends StoreContracts.Idempotency {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class ApiKeys extends StoreContracts.ApiKeys {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Connections extends StoreContracts.Connections {
        public Backend backend() {
            return backend;
        }
    }

    @Nested
    class Blobs extends StoreContracts.Blobs {
        public Backend backend() {
            return backend;
        }
    }
}
