package filesapi.local;

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
import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoConnectionStore;
import filesapi.dynamodb.DynamoFileStore;
import filesapi.dynamodb.DynamoIdempotencyStore;
import filesapi.dynamodb.DynamoLinkStore;
import filesapi.dynamodb.DynamoUploadSessionStore;
import filesapi.lambda.Config;
import filesapi.s3.S3BlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * The port contract suites of functions/ (the same ones its fakes pass) against the DynamoDB and S3 adapters on a
 * backend. A test class declares each as a {@code @Nested} class naming its backend (so that each reports under its
 * own name); every test works in tenants (accounts, keys) of its own, so one backend serves them all.
 */
final class StoreContracts {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private StoreContracts() {}

    /** Where a suite's adapters keep their data. */
    interface OnBackend {
        Backend backend();

        default String table() {
            return backend().table();
        }

        default String lists() {
            return Config.listsTable(backend().table());
        }
    }

    abstract static class Files extends FileStoreContract implements OnBackend {
        @Override
        protected FileStore newStore() {
            return new DynamoFileStore(backend().clients().dynamo(), table(), lists());
        }
    }

    abstract static class Links extends LinkStoreContract implements OnBackend {
        @Override
        protected LinkStore newStore() {
            return new DynamoLinkStore(backend().clients().dynamo(), table(), lists());
        }

        @Override
        protected FileStore files() {
            return new DynamoFileStore(backend().clients().dynamo(), table(), lists());
        }
    }

    abstract static class Idempotency extends IdempotencyStoreContract implements OnBackend {
        @Override
        protected IdempotencyStore newStore() {
            return new DynamoIdempotencyStore(backend().clients().dynamo(), table());
        }
    }

    abstract static class ApiKeys extends ApiKeyStoreContract implements OnBackend {
        @Override
        protected ApiKeyStore newStore() {
            return new DynamoApiKeyStore(backend().clients().dynamo(), table());
        }
    }

    abstract static class Connections extends ConnectionStoreContract implements OnBackend {
        @Override
        protected ConnectionStore newStore() {
            return new DynamoConnectionStore(backend().clients().dynamo(), table());
        }
    }

    abstract static class Uploads extends UploadSessionStoreContract implements OnBackend {
        @Override
        protected UploadSessionStore newStore() {
            return new DynamoUploadSessionStore(backend().clients().dynamo(), table(), lists());
        }

        @Override
        protected FileStore files() {
            return new DynamoFileStore(backend().clients().dynamo(), table(), lists());
        }

        @Override
        protected LinkStore links() {
            return new DynamoLinkStore(backend().clients().dynamo(), table(), lists());
        }
    }

    abstract static class Blobs extends BlobStoreContract implements OnBackend {
        @Override
        protected BlobStore newStore(Clock signingClock) {
            return new S3BlobStore(backend().clients().s3(), backend().bucket(), signingClock);
        }

        @Override
        protected Download download(String url) throws Exception {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return null;
            }
            return new Download(response.body(), response.headers().firstValue("content-type").orElse(null),
                    response.headers().firstValue("content-disposition").orElse(null));
        }

        @Override
        protected boolean upload(String url, byte[] body) throws Exception {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException refused) {
                // S3Proxy answers a body its signature refuses with 403 and may close before reading it.
                return false;
            }
        }

        @Override
        protected String lacksPresignedExpiry() {
            return backend().lacks(Backend.Capability.PRESIGNED_EXPIRY);
        }

        @Override
        protected String lacksPresignedPutLength() {
            return backend().lacks(Backend.Capability.PRESIGNED_PUT_LENGTH);
        }

        @Override
        protected String lacksResponseOverrides() {
            return backend().lacks(Backend.Capability.PRESIGNED_RESPONSE_OVERRIDES);
        }
    }
}
