package filesapi;

import filesapi.api.Authenticator;
import filesapi.blob.S3BlobStore;
import filesapi.files.FileService;
import filesapi.store.ApiKeyStore;
import filesapi.store.DynamoApiKeyStore;
import filesapi.store.DynamoFileStore;
import java.time.Clock;

/** Everything a handler calls, wired once per container (or once per local server, with emulated backends). */
public record Services(Config config, Clock clock, ApiKeyStore keys, Authenticator auth, FileService files) {

    public static Services create(Config config, AwsClients aws, Clock clock) {
        ApiKeyStore keys = new DynamoApiKeyStore(aws.dynamo(), config.tableName());
        FileService files = new FileService(new DynamoFileStore(aws.dynamo(), config.tableName()),
                new S3BlobStore(aws.s3(), aws.presigner(), config.bucketName()), clock);
        return new Services(config, clock, keys, new Authenticator(keys), files);
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
