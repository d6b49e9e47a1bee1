package filesapi.lambda;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * AWS clients, built once per container with the light URLConnection HTTP client. Region and endpoints come from
 * the standard environment ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_DYNAMODB},
 * {@code AWS_ENDPOINT_URL_S3}), so LocalStack needs no code path of its own. Credentials come from the default chain,
 * which stays correct after a SnapStart restore. Presigned URLs take their address, region and credentials from the S3
 * client.
 */
public record AwsClients(DynamoDbClient dynamo, S3Client s3) {

    public static AwsClients fromEnvironment() {
        return from(System.getenv());
    }

    public static AwsClients from(Map<String, String> env) {
        Region region = Region.of(value(env, "AWS_REGION", value(env, "AWS_DEFAULT_REGION", "us-east-1")));
        String s3Endpoint = value(env, "AWS_ENDPOINT_URL_S3", value(env, "AWS_ENDPOINT_URL", null));
        // Path-style only when an endpoint is overridden: emulators do not serve virtual-host buckets on localhost.
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(s3Endpoint != null).build();
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region)
                .credentialsProvider(credentials)
                .build();
        S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .build();
        return new AwsClients(dynamo, s3);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
