package filesapi.local;

import filesapi.lambda.AwsClients;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Real DynamoDB and S3 semantics from LocalStack in Docker. Images after 4.14.0 need LOCALSTACK_AUTH_TOKEN, so the
 * version is pinned and the token passed on when the environment has one.
 */
final class LocalStack {
    static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", "localstack/localstack:4.14.0");

    private LocalStack() {}

    static Backend start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE)
                .asCompatibleSubstituteFor("localstack/localstack")).withServices("dynamodb", "s3");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
        Region region = Region.of(container.getRegion());
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(container.getEndpoint()).region(region).credentialsProvider(credentials).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(container.getEndpoint()).serviceConfiguration(pathStyle).region(region)
                .credentialsProvider(credentials).build();
        String table = "files-api-test";
        String bucket = "files-api-test";
        EmbeddedBackends.ensureTable(dynamo, TestApi.template(), table);
        s3.createBucket(b -> b.bucket(bucket));
        AwsClients clients = new AwsClients(dynamo, s3);
        return new Backend() {
            public AwsClients clients() { return clients; }
            public String table() { return table; }
            public String bucket() { return bucket; }
            public String lacks(Capability capability) {
                return capability == Capability.PRESIGNED_EXPIRY
                        ? "LocalStack's S3 does not refuse an expired presigned URL" : null;
            }
            public void close() {
                dynamo.close();
                s3.close();
                container.stop();
            }
        };
    }
}
