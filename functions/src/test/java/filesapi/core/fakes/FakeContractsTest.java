package filesapi.core.fakes;

import filesapi.core.auth.ApiKeyStore;
import filesapi.core.auth.ConnectionStore;
import filesapi.core.contract.ApiKeyStoreContract;
import filesapi.core.contract.BlobStoreContract;
import filesapi.core.contract.ConnectionStoreContract;
import filesapi.core.contract.FileStoreContract;
import filesapi.core.contract.IdempotencyStoreContract;
import filesapi.core.contract.LinkStoreContract;
import filesapi.core.contract.UploadSessionStoreContract;
import filesapi.core.files.BlobStore;
import filesapi.core.files.FileStore;
import filesapi.core.idempotency.IdempotencyStore;
import filesapi.core.links.LinkStore;
import filesapi.core.uploads.UploadSessionStore;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Nested;

/** The contract suites against the in-memory fakes, which the core's unit tests stand on. */
class FakeContractsTest {
    @Nested
    class Files extends FileStoreContract {
        @Override
        protected FileStore newStore() {
            return new InMemoryFileStore();
        }
    }

    @Nested
    class Links extends LinkStoreContract {
        private final InMemoryFileStore files = new InMemoryFileStore();

        @Override
        protected LinkStore newStore() {
            return new InMemoryLinkStore(files);
        }

        @Override
        protected FileStore files() {
            return files;
        }
    }

    @Nested
    class Uploads extends UploadSessionStoreContract {
        private final InMemoryFileStore files = new InMemoryFileStore();
        private final InMemoryLinkStore links = new InMemoryLinkStore(files);

        @Override
        protected UploadSessionStore newStore() {
            return new InMemoryUploadSessionStore(files, links);
        }

        @Override
        protected FileStore files() {
            return files;
        }

        @Override
        protected LinkStore links() {
            return links;
        }
    }

    @Nested
    class Blobs extends BlobStoreContract {
        private InMemoryBlobStore bucket;

        @Override
        protected BlobStore newStore(Clock signingClock) {
            // A second store in one test is another client of the same bucket.
            bucket = bucket == null ? new InMemoryBlobStore(signingClock) : bucket.signingAt(signingClock);
            return bucket;
        }

        @Override
        protected Download download(String url) {
            InMemoryBlobStore.Download d = bucket.open(url, Instant.now().getEpochSecond());
            return d == null ? null : new Download(d.contents(), d.contentType(), d.contentDisposition());
        }

        @Override
        protected boolean upload(String url, byte[] body) {
            return bucket.upload(url, body, Instant.now().getEpochSecond());
        }
    }

    @Nested
    class Idempotency extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore newStore() {
            return new InMemoryIdempotencyStore();
        }
    }

    @Nested
    class ApiKeys extends ApiKeyStoreContract {
        @Override
        protected ApiKeyStore newStore() {
            return new InMemoryApiKeyStore();
        }
    }

    @Nested
    class Connections extends ConnectionStoreContract {
        @Override
        protected ConnectionStore newStore() {
            return new InMemoryConnectionStore();
        }
    }
}
