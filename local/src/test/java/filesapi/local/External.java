package filesapi.local;

import filesapi.lambda.AwsClients;
import filesapi.lambda.Config;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * A DynamoDB and S3 named by the environment, for the External* tests:
 * <ul>
 *   <li>{@code FILES_API_TEST_BACKEND=external}: any endpoint, {@code FILES_API_TEST_ENDPOINT} for both services or
 *       the standard {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_S3}
 *       (a LocalStack started by hand, for example), held to everything the embedded emulators are held to;
 *   <li>{@code FILES_API_TEST_BACKEND=moto}: the same, with moto_server's known gaps skipped, each with its reason;
 *   <li>{@code FILES_API_TEST_BACKEND=localstack}: the same, with LocalStack's (presigned expiry) skipped;
 *   <li>{@code FILES_API_TEST_BACKEND=aws}: a real account, from the default credentials chain and region.
 * </ul>
 * Each test class gets tables (both, from template.yaml) and a bucket of unique names, deleted when it ends. Without
 * the variable the External* tests are skipped, with that said.
 */
final class External {
    static final String VARIABLE = "FILES_API_TEST_BACKEND";

    private External() {}

    static Backend start() {
        return start(System.getenv());
    }

    static Backend start(Map<String, String> env) {
        String kind = value(env, VARIABLE);
        if (kind == null) {
            String reason = VARIABLE + " is not set, so the external-backend tests are skipped (set it to external,"
                    + " moto or localstack with FILES_API_TEST_ENDPOINT or AWS_ENDPOINT_URL*, or to aws; see"
                    + " External.java)";
            System.out.println("[skipped] " + reason);
            Assumptions.abort(reason);
        }
        kind = kind.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("external", "moto", "localstack", "aws").contains(kind)) {
            throw new IllegalArgumentException(VARIABLE + " is external, moto, localstack or aws; got '" + kind + "'");
        }
        String common = value(env, "FILES_API_TEST_ENDPOINT");
        if (common == null) {
            common = value(env, "AWS_ENDPOINT_URL");
        }
        String dynamoEndpoint = value(env, "AWS_ENDPOINT_URL_DYNAMODB");
        String s3Endpoint = value(env, "AWS_ENDPOINT_URL_S3");
        dynamoEndpoint = dynamoEndpoint == null ? common : dynamoEndpoint;
        s3Endpoint = s3Endpoint == null ? common : s3Endpoint;
        if (kind.equals("aws")) {
            dynamoEndpoint = null;
            s3Endpoint = null;
        } else if (dynamoEndpoint == null || s3Endpoint == null) {
            throw new IllegalArgumentException(VARIABLE + "=" + kind + " needs FILES_API_TEST_ENDPOINT (or"
                    + " AWS_ENDPOINT_URL, or AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3)");
        }
        Region region = Region.of(value(env, "AWS_REGION") != null ? value(env, "AWS_REGION")
                : value(env, "AWS_DEFAULT_REGION") != null ? value(env, "AWS_DEFAULT_REGION") : "us-east-1");
        // An emulator accepts any credentials; a user pointing at one need not invent them.
        AwsCredentialsProvider credentials = dynamoEndpoint != null && value(env, "AWS_ACCESS_KEY_ID") == null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))
                : DefaultCredentialsProvider.builder().build();
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClient(AwsClients.dynamoHttpClient())
                .region(region).credentialsProvider(credentials);
        S3ClientBuilder s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(credentials);
        if (dynamoEndpoint != null) {
            dynamo.endpointOverride(URI.create(dynamoEndpoint));
            s3.endpointOverride(URI.create(s3Endpoint))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        AwsClients clients = new AwsClients(dynamo.build(), s3.build());
        String name = "files-api-test-" + UUID.randomUUID().toString().substring(0, 8);
        ExternalBackends.Settings settings =
                new ExternalBackends.Settings(name, Config.listsTable(name), name, true);
        ExternalBackends.create(TestApi.template(), clients, settings);
        boolean moto = kind.equals("moto");
        boolean localstack = kind.equals("localstack");
        return new Backend() {
            public AwsClients clients() { return clients; }
            public String table() { return name; }
            public String bucket() { return name; }

            public String lacks(Capability capability) {
                return switch (capability) {
                    case CONFLICT_COUNTER -> "only the embedded emulator counts TransactionConflict cancellations";
                    case PRESIGNED_EXPIRY -> moto ? "moto does not check a presigned URL's expiry"
                            : localstack ? "LocalStack's S3 does not refuse an expired presigned URL" : null;
                    case PRESIGNED_PUT_LENGTH -> moto ? "moto stores a presigned PUT's body whatever its length: it"
                            + " does not check the signed Content-Length" : null;
                    case PRESIGNED_RESPONSE_OVERRIDES -> moto ? "moto ignores a presigned URL's"
                            + " response-content-disposition and response-content-type overrides" : null;
                    case ATOMIC_WRITES_UNDER_THREADS -> moto
                            ? "moto's writes are not atomic across threads: it checks a condition"
                            + " and writes without a lock, and a cancelled transact_write_items restores a copy of the"
                            + " whole table taken when it began, undoing what others committed meanwhile" : null;
                };
            }

            public void close() {
                try {
                    delete(clients, settings);
                } finally {
                    clients.dynamo().close();
                    clients.s3().close();
                }
            }
        };
    }

    /** Deletes the class's tables and its bucket with everything in it. */
    private static void delete(AwsClients clients, ExternalBackends.Settings settings) {
        S3Client s3 = clients.s3();
        String token = null;
        do {
            String continuation = token;
            var page = s3.listObjectsV2(l -> l.bucket(settings.bucket()).continuationToken(continuation));
            if (!page.contents().isEmpty()) {
                s3.deleteObjects(d -> d.bucket(settings.bucket()).delete(del -> del.objects(page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList())));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        s3.deleteBucket(d -> d.bucket(settings.bucket()));
        clients.dynamo().deleteTable(d -> d.tableName(settings.table()));
        clients.dynamo().deleteTable(d -> d.tableName(settings.listsTable()));
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
