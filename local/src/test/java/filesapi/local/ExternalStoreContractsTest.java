package filesapi.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The port contract suites against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalStoreContractsTest {
    private static Backend backend;

    @BeforeAll
    static void start() {
        backend = External.start();
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
