package filesapi.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The deployable's DynamoDB HTTP client sends what the SDK signed: the same Content-Length, signed, on every call. */
class AwsClientsTest {
    private record Seen(String contentLength, String authorization, int bodyLength) {}

    @Test
    void postsCarryTheSignedContentLengthOverOneReusedConnection() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(new Seen(exchange.getRequestHeaders().getFirst("Content-Length"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body.length));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(AwsClients.dynamoHttpClient())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .build()) {
            for (int i = 0; i < 3; i++) {
                dynamo.getItem(g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))));
            }
        } finally {
            server.stop(0);
        }
        assertEquals(3, seen.size());
        for (Seen request : seen) {
            assertEquals(String.valueOf(request.bodyLength()), request.contentLength(), "Content-Length as sent");
            assertTrue(request.bodyLength() > 0);
            assertTrue(request.authorization().contains("SignedHeaders=") && request.authorization()
                    .substring(request.authorization().indexOf("SignedHeaders=")).contains("content-length"),
                    "the length is still signed: " + request.authorization());
        }
    }
}
