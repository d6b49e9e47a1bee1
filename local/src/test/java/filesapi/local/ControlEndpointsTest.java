package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /_local/health}, {@code reset} and {@code clock} over HTTP, and expiry following the moved clock. */
class ControlEndpointsTest {
    private static final long DAY = 86_400;
    private static LocalServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(0, null, Path.of(System.getProperty("files.api.template")),
                TestApi.KEYS, null, null, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() throws Exception {
        assertEquals(200, call("POST", "/_local/reset", TestApi.KEY_A, null).statusCode());
    }

    private HttpResponse<byte[]> call(String method, String path, String key, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                : server.baseUrl() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(form));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return TestApi.MAPPER.readTree(response.body());
    }

    private JsonNode ok(String method, String path, String form) throws Exception {
        HttpResponse<byte[]> response = call(method, path, TestApi.KEY_A, form);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().firstValue("Request-Id").orElse("").startsWith("req_"));
        return json(response);
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String param) throws Exception {
        assertEquals(status, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        assertTrue(response.headers().firstValue("Request-Id").orElse("").startsWith("req_"));
        JsonNode error = json(response).path("error");
        assertEquals("invalid_request_error", error.path("type").asText(), error.toString());
        if (param != null) {
            assertEquals(param, error.path("param").asText(), error.toString());
        }
    }

    @Test
    void onlyASecretTestKeyMayCallThem() throws Exception {
        assertEquals("ready", ok("GET", "/_local/health", null).path("status").asText());
        assertError(call("GET", "/_local/health", null, null), 401, null);
        assertError(call("GET", "/_local/health", "sk_test_notoneoftheserverskeys0", null), 401, null);
        for (String key : new String[] {TestApi.KEY_A_LIVE, TestApi.KEY_A_PUBLISHABLE, TestApi.KEY_A_FILES_WRITE}) {
            assertError(call("POST", "/_local/reset", key, null), 403, null);
        }
        assertEquals("ready", ok("GET", "/_local/health", null).path("status").asText(), "any secret test key");
        assertEquals(200, call("GET", "/_local/health", TestApi.KEY_B, null).statusCode());
        assertError(call("GET", "/_local/nothing", TestApi.KEY_A, null), 404, null);
    }

    @Test
    void theClockIsSetOrAdvancedAndBadValuesAreStripeErrors() throws Exception {
        long now = ok("GET", "/_local/clock", null).path("now").asLong();
        assertTrue(Math.abs(now - Instant.now().getEpochSecond()) <= 2, "real time until moved");
        assertEquals(2_000_000_000L, ok("POST", "/_local/clock", "now=2000000000").path("now").asLong());
        assertEquals(2_000_000_000L + DAY, ok("POST", "/_local/clock", "advance=86400").path("now").asLong());
        assertTrue(ok("GET", "/_local/clock", null).path("now").asLong() >= 2_000_000_000L + DAY);
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, "now=abc"), 400, "now");
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, "advance=1.5"), 400, "advance");
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, "now=1&advance=1"), 400, null);
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, "then=1"), 400, "then");
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, ""), 400, null);
        assertError(call("POST", "/_local/clock", TestApi.KEY_A, "now=99999999999999"), 400, "now");
        ok("POST", "/_local/reset", null);
        assertTrue(Math.abs(ok("GET", "/_local/clock", null).path("now").asLong() - Instant.now().getEpochSecond())
                <= 2, "reset puts the clock back");
    }

    private JsonNode upload(String purpose, byte[] pdf) throws Exception {
        TestApi.MultipartBody body = TestApi.multipart().field("purpose", purpose)
                .file("evidence.pdf", "application/pdf", pdf);
        HttpResponse<byte[]> created = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + TestApi.KEY_A).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        return json(created);
    }

    /** Opens a link URL without following the redirect, then follows it by hand: the bytes, or the refusal. */
    private HttpResponse<byte[]> open(String url) throws Exception {
        HttpResponse<byte[]> redirect = call("GET", url, null, null);
        if (redirect.statusCode() != 302) {
            return redirect;
        }
        return call("GET", redirect.headers().firstValue("Location").orElseThrow(), null, null);
    }

    @Test
    void resetEmptiesEveryStoreAndKeepsTheKeys() throws Exception {
        upload("dispute_evidence", Samples.pdf(1000));
        assertEquals(1, ok("GET", "/v1/files", null).path("data").size());
        ok("POST", "/_local/reset", null);
        assertEquals(0, ok("GET", "/v1/files", null).path("data").size());
        assertEquals(200, call("GET", "/v1/files", TestApi.KEY_B, null).statusCode(), "every key still works");
        assertEquals(0, server.backends().clients().s3().listObjectsV2(l -> l.bucket(LocalServer.BUCKET))
                .keyCount(), "the bucket is empty");
    }

    @Test
    void createdAndFileAndLinkExpiryFollowTheMovedClock() throws Exception {
        long moved = Instant.now().getEpochSecond() + 30 * DAY;
        ok("POST", "/_local/clock", "now=" + moved);
        byte[] pdf = Samples.pdf(2000);
        JsonNode file = upload("dispute_evidence", pdf);
        assertTrue(Math.abs(file.path("created").asLong() - moved) <= 2, file.toString());
        assertEquals(file.path("created").asLong() + 270 * DAY, file.path("expires_at").asLong());
        String id = file.path("id").asText();

        JsonNode link = ok("POST", "/v1/file_links", "file=" + id + "&expires_at=" + (moved + 3600));
        assertTrue(Math.abs(link.path("created").asLong() - moved) <= 2, link.toString());
        assertFalse(link.path("expired").asBoolean());
        HttpResponse<byte[]> downloaded = open(link.path("url").asText());
        assertEquals(200, downloaded.statusCode(), "a link opened a month ahead still downloads: "
                + new String(downloaded.body(), StandardCharsets.UTF_8));
        assertArrayEquals(pdf, downloaded.body());

        ok("POST", "/_local/clock", "advance=7200");
        assertTrue(ok("GET", "/v1/file_links/" + link.path("id").asText(), null).path("expired").asBoolean());
        assertEquals(404, open(link.path("url").asText()).statusCode(), "the link URL refuses once expired");

        assertEquals(200, call("GET", "/v1/files/" + id + "/contents", TestApi.KEY_A, null).statusCode());
        ok("POST", "/_local/clock", "advance=" + 271 * DAY);
        assertError(call("GET", "/v1/files/" + id + "/contents", TestApi.KEY_A, null), 404, null);
    }

    @Test
    void aLinkOpenedUnderAClockMovedBackStillDownloads() throws Exception {
        byte[] pdf = Samples.pdf(3000);
        String id = upload("dispute_evidence", pdf).path("id").asText();
        JsonNode link = ok("POST", "/v1/file_links", "file=" + id);
        ok("POST", "/_local/clock", "advance=" + (-Duration.ofHours(2).toSeconds()));
        HttpResponse<byte[]> downloaded = open(link.path("url").asText());
        assertEquals(200, downloaded.statusCode(), new String(downloaded.body(), StandardCharsets.UTF_8));
        assertArrayEquals(pdf, downloaded.body());
    }
}
