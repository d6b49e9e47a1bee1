package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.File;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Direct uploads on the local server over HTTP, as the README shows them, with files past the Lambda ceiling (a
 * 20 MB PDF, a 40 MB APK): stripe-java's {@code rawRequest} for the session and its completion, a plain HTTP PUT of
 * the bytes to S3Proxy, the file link's download, and the clock moved by {@code /_local/clock}.
 */
class FileUploadsLocalServerTest {
    private static LocalServer server;
    private static StripeClient stripe;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(0, null, Path.of(System.getProperty("files.api.template")),
                TestApi.KEYS, null, null, Clock.systemUTC()));
        stripe = StripeClient.builder().setApiKey(TestApi.KEY_A).setApiBase(server.baseUrl())
                .setFilesBase(server.baseUrl()).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(StripeResponse response) throws Exception {
        return TestApi.MAPPER.readTree(response.body());
    }

    private int put(JsonNode upload, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(upload.path("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void moveClock(String form) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/_local/clock"))
                .header("Authorization", "Bearer " + TestApi.KEY_A)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void stripeJavaRawRequestsCarryATwentyMegabytePdf() throws Exception {
        byte[] pdf = Samples.pdf(20_000_000);
        StripeResponse created = stripe.rawRequest(ApiResource.RequestMethod.POST, "/v1/file_uploads",
                "purpose=account_requirement&filename=statement.pdf&size=" + pdf.length,
                RawRequestOptions.builder().setIdempotencyKey("saq-upload").build());
        assertEquals(200, created.code(), created.body());
        JsonNode upload = json(created);
        assertEquals(200, put(upload, pdf));
        StripeResponse completed = stripe.rawRequest(ApiResource.RequestMethod.POST,
                "/v1/file_uploads/" + upload.path("id").asText() + "/complete", "");
        assertEquals(200, completed.code(), completed.body());
        String fileId = json(completed).path("file").asText();
        File file = stripe.v1().files().retrieve(fileId);
        assertEquals(pdf.length, file.getSize());
        assertEquals("pdf", file.getType());
        StripeResponse retrieved = stripe.rawRequest(ApiResource.RequestMethod.GET,
                "/v1/file_uploads/" + upload.path("id").asText(), "");
        assertEquals("complete", json(retrieved).path("status").asText());
    }

    @Test
    void aFortyMegabyteApkIsCompletedWithItsLinkWhichDownloadsIt() throws Exception {
        byte[] apk = FileUploadsTest.apk(40_000_000);
        JsonNode upload = json(stripe.rawRequest(ApiResource.RequestMethod.POST, "/v1/file_uploads",
                "purpose=terminal_android_apk&filename=reader.apk&size=" + apk.length
                        + "&file_link_data[create]=true", null));
        assertEquals(200, put(upload, apk));
        JsonNode done = json(stripe.rawRequest(ApiResource.RequestMethod.POST,
                "/v1/file_uploads/" + upload.path("id").asText() + "/complete", "expand[]=file"));
        JsonNode file = done.path("file");
        assertEquals("apk", file.path("type").asText(), done.toString());
        assertEquals(apk.length, file.path("size").asLong());
        String link = file.path("links").path("data").get(0).path("url").asText();
        HttpResponse<Void> opened = http.send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(302, opened.statusCode());
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(
                opened.headers().firstValue("Location").orElseThrow())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertTrue(java.util.Arrays.equals(apk, download.body()), "the link serves the uploaded bytes");
    }

    @Test
    void theMovedClockDecidesExpiryAndUploadUrlsStillWork() throws Exception {
        try {
            byte[] pdf = Samples.pdf(10_000);
            JsonNode late = json(stripe.rawRequest(ApiResource.RequestMethod.POST, "/v1/file_uploads",
                    "purpose=pci_document&size=" + pdf.length, null));
            assertEquals(200, put(late, pdf));
            moveClock("advance=3601");
            InvalidRequestException expired = assertThrows(InvalidRequestException.class, () -> stripe.rawRequest(
                    ApiResource.RequestMethod.POST, "/v1/file_uploads/" + late.path("id").asText() + "/complete", ""));
            assertEquals(400, expired.getStatusCode());
            assertEquals("file_upload", expired.getParam());
            assertTrue(expired.getMessage().contains("expired"), expired.getMessage());

            // Created at the moved time: the URL is signed again from real time, which S3Proxy checks.
            JsonNode fresh = json(stripe.rawRequest(ApiResource.RequestMethod.POST, "/v1/file_uploads",
                    "purpose=pci_document&size=" + pdf.length, null));
            assertEquals(200, put(fresh, pdf));
            StripeResponse done = stripe.rawRequest(ApiResource.RequestMethod.POST,
                    "/v1/file_uploads/" + fresh.path("id").asText() + "/complete", "");
            assertEquals(200, done.code(), done.body());
        } finally {
            server.clock().reset();
        }
    }
}
