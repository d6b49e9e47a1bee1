package filesapi.lambda;

import filesapi.core.auth.ApiKeyStore;
import filesapi.core.auth.ApiKeys;
import filesapi.core.auth.Authenticator;
import filesapi.core.auth.ConnectionStore;
import filesapi.core.files.BlobStore;
import filesapi.core.files.FileService;
import filesapi.core.idempotency.Idempotency;
import filesapi.core.links.LinkService;
import filesapi.core.uploads.UploadService;
import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoConnectionStore;
import filesapi.dynamodb.DynamoFileStore;
import filesapi.dynamodb.DynamoIdempotencyStore;
import filesapi.dynamodb.DynamoLinkStore;
import filesapi.dynamodb.DynamoUploadSessionStore;
import filesapi.lambda.wire.Renderer;
import filesapi.s3.S3BlobStore;
import java.time.Clock;

/**
 * The composition root: the adapters and services, wired once per container (or once per local server, with
 * emulated backends). Handlers take from it only what they use.
 */
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

    /** What every handler's pipeline uses. */
    public Pipeline pipeline() {
        return new Pipeline(auth, idempotency, config.publicBaseUrl());
    }

    /** Direct uploads to S3 (upload sessions), over this container's stores. */
    public UploadService uploads() {
        return new UploadService(new DynamoUploadSessionStore(aws.dynamo(), config.tableName(),
                config.listsTableName()), files, links, blobs, clock);
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
