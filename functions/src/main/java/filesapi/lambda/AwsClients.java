package filesapi.lambda;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
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
 *
 * <p>DynamoDB's calls are all POSTs of small JSON bodies, and the JDK's {@code HttpURLConnection} probes every
 * kept-alive connection it reuses for a POST sent in streaming mode: it blocks on a read with a 1 ms timeout
 * ({@code sun.net.www.http.HttpClient.available()}), so each call waited about 1.1 ms for nothing. The SDK's client
 * streams whenever the request has a {@code Content-Length}, so {@link #dynamoHttpClient()} hands it the already
 * signed request without that header: the JDK then buffers the body (already in memory) and writes the same
 * {@code Content-Length} itself, and the signature, which covers it, still holds. S3's uploads are PUTs, which the
 * JDK does not probe, and stay streamed.
 */
public record AwsClients(DynamoDbClient dynamo, S3Client s3) {

    public static AwsClients fromEnvironment() {
        return from(System.getenv());
    }

    public static AwsClients from(Map<String, String> env) {
        return from(env, DefaultCredentialsProvider.builder().build(), dynamoHttpClient(), UrlConnectionHttpClient.create());
    }

    /** As {@link #from(Map)}, over other credentials and HTTP clients (priming's in-process twin). */
    static AwsClients from(Map<String, String> env, AwsCredentialsProvider credentials, SdkHttpClient dynamoHttp,
                           SdkHttpClient s3Http) {
        Region region = Region.of(value(env, "AWS_REGION", value(env, "AWS_DEFAULT_REGION", "us-east-1")));
        String s3Endpoint = value(env, "AWS_ENDPOINT_URL_S3", value(env, "AWS_ENDPOINT_URL", null));
        // Path-style only when an endpoint is overridden: emulators do not serve virtual-host buckets on localhost.
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(s3Endpoint != null).build();
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(dynamoHttp)
                .region(region)
                .credentialsProvider(credentials)
                .build();
        S3Client s3 = S3Client.builder()
                .httpClient(s3Http)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .build();
        return new AwsClients(dynamo, s3);
    }

    /** The HTTP client of the DynamoDB client: URLConnection, POST bodies buffered (see the class comment). */
    public static SdkHttpClient dynamoHttpClient() {
        return new BufferedPosts(UrlConnectionHttpClient.create());
    }

    private record BufferedPosts(SdkHttpClient delegate) implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            if (request.httpRequest().method() != SdkHttpMethod.POST
                    || request.httpRequest().firstMatchingHeader("Content-Length").isEmpty()) {
                return delegate.prepareRequest(request);
            }
            HttpExecuteRequest.Builder unstreamed = HttpExecuteRequest.builder()
                    .request(request.httpRequest().toBuilder().removeHeader("Content-Length").build());
            request.contentStreamProvider().ifPresent(unstreamed::contentStreamProvider);
            request.metricCollector().ifPresent(unstreamed::metricCollector);
            return delegate.prepareRequest(unstreamed.build());
        }

        @Override
        public String clientName() {
            return delegate.clientName();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
