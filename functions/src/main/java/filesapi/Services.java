package filesapi;

import filesapi.admin.ApiKeys;
import filesapi.api.Authenticator;
import filesapi.api.Idempotency;
import filesapi.store.ConnectionStore;
import filesapi.store.DynamoConnectionStore;
import filesapi.store.DynamoIdempotencyStore;
import filesapi.blob.BlobStore;
import filesapi.blob.S3BlobStore;
import filesapi.links.LinkService;
import filesapi.store.DynamoLinkStore;
import filesapi.files.FileService;
import filesapi.store.ApiKeyStore;
import filesapi.store.DynamoApiKeyStore;
import filesapi.store.DynamoFileStore;
import java.time.Clock;

/** Everything a handler calls, wired once per container (or once per local server, with emulated backends). */
public record Services(Config config, AwsClients aws, Clock clock, ApiKeyStore keys, ConnectionStore connections,
                       Authenticator auth, Idempotency idempotency, FileService files, LinkService links,
                       BlobStore blobs, Renderer render) {

    public static Services create(Config config, AwsClients aws, Clock clock) {
        ApiKeyStore keys = new DynamoApiKeyStore(aws.dynamo(), config.tableName());
        ConnectionStore connections = new DynamoConnectionStore(aws.dynamo(), config.tableName());
        BlobStore blobs = new S3BlobStore(aws.s3(), config.bucketName(), clock);
        FileService files = new FileService(new DynamoFileStore(aws.dynamo(), config.tableName(),
                config.listsTableName()), blobs, clock);
        LinkService links = new LinkService(new DynamoLinkStore(aws.dynamo(), config.tableName(),
                config.listsTableName()), files, blobs, clock,
                config.linkRedirectTtl());
        return new Services(config, aws, clock, keys, connections, new Authenticator(keys, connections),
                new Idempotency(new DynamoIdempotencyStore(aws.dynamo(), config.tableName()), clock), files, links,
                blobs, new Renderer(files, links, clock));
    }

    /** Key and connection provisioning over this container's stores. */
    public ApiKeys provisioning() {
        return new ApiKeys(keys, connections, clock);
    }

    /** The container-wide instance a handler's no-argument constructor uses. */
    public static Services fromEnvironment() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final Services INSTANCE = create(Config.fromEnvironment(), AwsClients.fromEnvironment(),
                Clock.systemUTC());
    }
}
