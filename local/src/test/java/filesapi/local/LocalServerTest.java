package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local server over real HTTP: its printed curl line works, uploads download intact, data can persist. */
class LocalServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static LocalServer.Options options(Path dataDir, String keys) {
        return new LocalServer.Options(0, dataDir, Path.of(System.getProperty("files.api.template")), keys, null, null,
                Clock.systemUTC());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void printedCurlLineWorksAsPasted() throws Exception {
        LocalServer.Options options = options(null, null);
        try (LocalServer server = LocalServer.start(options)) {
            String banner = server.banner(options);
            Matcher curl = Pattern.compile("curl (\\S+) -u (sk_test_\\w+):\\n").matcher(banner);
            assertTrue(curl.find(), banner);
            String basic = Base64.getEncoder().encodeToString((curl.group(2) + ":").getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(curl.group(1)))
                    .header("Authorization", "Basic " + basic).build());
            assertEquals(200, response.statusCode());
            JsonNode list = Json.MAPPER.readTree(response.body());
            assertEquals("list", list.path("object").asText());
            assertTrue(response.headers().firstValue("Request-Id").orElseThrow().startsWith("req_"));
        }
    }

    @Test
    void unknownRoutesAndOversizedBodiesGetStripeShapedErrors() throws Exception {
        try (LocalServer server = LocalServer.start(options(null, TestApi.KEYS))) {
            HttpResponse<byte[]> notFound = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/nope"))
                    .header("Authorization", "Bearer " + TestApi.KEY_A).build());
            assertEquals(404, notFound.statusCode());
            assertEquals("invalid_request_error",
                    Json.MAPPER.readTree(notFound.body()).path("error").path("type").asText());
            HttpResponse<byte[]> tooLarge = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + TestApi.KEY_A)
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[11 * 1024 * 1024])).build());
            assertEquals(413, tooLarge.statusCode());
            assertEquals("invalid_request_error",
                    Json.MAPPER.readTree(tooLarge.body()).path("error").path("type").asText());
        }
    }

    @Test
    void aDataFolderKeepsFilesAndTheDefaultKeyAcrossRestarts(@TempDir Path dir) throws Exception {
        byte[] png = Samples.png(70_000);
        String id;
        String key;
        try (LocalServer server = LocalServer.start(options(dir, null))) {
            key = server.keys().get(0).key();
            TestApi.MultipartBody body = TestApi.multipart().field("purpose", "business_logo")
                    .file("logo.png", "image/png", png);
            HttpResponse<byte[]> created = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", body.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
            assertEquals(200, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
            id = Json.MAPPER.readTree(created.body()).path("id").asText();
        }
        try (LocalServer server = LocalServer.start(options(dir, null))) {
            assertEquals(key, server.keys().get(0).key());
            HttpResponse<byte[]> contents = send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/files/" + id + "/contents"))
                    .header("Authorization", "Bearer " + key).build());
            assertEquals(200, contents.statusCode());
            assertArrayEquals(png, contents.body());
        }
    }
}
