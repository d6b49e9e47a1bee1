package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS as the HTTP API applies the template's CorsConfiguration, on the local server over real HTTP. */
class CorsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String APP = "https://app.example";
    private static LocalServer anyOrigin;
    private static LocalServer oneOrigin;

    @BeforeAll
    static void start() throws Exception {
        anyOrigin = LocalServer.start(options(null));
        oneOrigin = LocalServer.start(options(List.of(APP)));
    }

    private static LocalServer.Options options(List<String> corsOrigins) {
        return new LocalServer.Options(LocalServer.Options.DEFAULT_HOST, 0, null,
                Path.of(System.getProperty("files.api.template")), TestApi.KEYS, null, null, corsOrigins,
                Clock.systemUTC(), null);
    }

    @AfterAll
    static void stop() {
        anyOrigin.close();
        oneOrigin.close();
    }

    private static HttpResponse<String> preflight(LocalServer server, String path, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,stripe-version,idempotency-key")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> upload(LocalServer server, String origin) throws Exception {
        TestApi.MultipartBody body = new TestApi.MultipartBody().field("purpose", "dispute_evidence")
                .file("browser.pdf", "application/pdf", Samples.pdf(2000));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + TestApi.KEY_A_PUBLISHABLE)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> listed(HttpResponse<?> response, String header) {
        return List.of(response.headers().firstValue(header).orElse("").toLowerCase().split(","));
    }

    @Test
    void preflightOfAnUploadIsAnsweredWithWhatTheTemplateAllows() throws Exception {
        HttpResponse<String> r = preflight(anyOrigin, "/v1/files", "https://anywhere.example");
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(listed(r, "Access-Control-Allow-Methods").containsAll(List.of("get", "post")));
        assertTrue(listed(r, "Access-Control-Allow-Headers").containsAll(List.of("authorization", "content-type",
                "stripe-version", "stripe-account", "idempotency-key")), r.headers().toString());
        assertEquals("300", r.headers().firstValue("Access-Control-Max-Age").orElse(null));
        assertTrue(r.headers().firstValue("Request-Id").orElse("").startsWith("req_"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    }

    @Test
    void preflightOfEveryRouteIsAnsweredEvenThoseWithoutAnOptionsRoute() throws Exception {
        for (String path : List.of("/v1/files/file_x", "/v1/file_links", "/v1/file_links/link_x", "/v1/nothing")) {
            assertEquals(204, preflight(anyOrigin, path, APP).statusCode(), path);
        }
    }

    @Test
    void aPublishableKeyUploadsCrossOriginAndSeesTheExposedHeaders() throws Exception {
        HttpResponse<String> r = upload(anyOrigin, APP);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(listed(r, "Access-Control-Expose-Headers").containsAll(List.of("request-id", "stripe-version",
                "idempotent-replayed")), r.headers().toString());
    }

    @Test
    void aRestrictedKeyReadsCrossOrigin() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(oneOrigin.baseUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + TestApi.KEY_A_FILES_READ).header("Origin", APP).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(APP, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("Origin", r.headers().firstValue("Vary").orElse(null));
    }

    @Test
    void anOriginNotListedGetsNoCorsHeadersSoTheBrowserRefuses() throws Exception {
        HttpResponse<String> pre = preflight(oneOrigin, "/v1/files", "https://evil.example");
        assertFalse(pre.headers().firstValue("Access-Control-Allow-Origin").isPresent(), pre.headers().toString());
        assertEquals(APP, preflight(oneOrigin, "/v1/files", APP).headers()
                .firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> r = upload(oneOrigin, "https://evil.example");
        assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertFalse(r.headers().firstValue("Access-Control-Expose-Headers").isPresent());
    }

    @Test
    void requestsWithoutAnOriginAreNotCorsRequests() throws Exception {
        HttpResponse<String> r = upload(anyOrigin, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control")));
        HttpResponse<String> options = HTTP.send(HttpRequest.newBuilder(URI.create(anyOrigin.baseUrl() + "/v1/files"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer "
                        + TestApi.KEY_A).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, options.statusCode(), "a plain OPTIONS is no preflight: Stripe's unknown route");
        assertTrue(options.body().contains("Unrecognized request URL"), options.body());
    }

    @Test
    void theLocalServerReadsTheTemplatesCorsConfiguration() throws Exception {
        CorsPolicy cors = TestApi.template().cors();
        assertEquals(List.of("*"), cors.allowOrigins(), "the CorsAllowOrigins parameter's default");
        assertTrue(cors.allowHeaders().containsAll(Set.of("Authorization", "Content-Type", "Stripe-Version",
                "Stripe-Account", "Idempotency-Key")), cors.allowHeaders().toString());
        assertTrue(cors.exposeHeaders().containsAll(List.of("Request-Id", "Stripe-Version", "Idempotent-Replayed")));
        assertEquals(List.of("https://a.example", "https://b.example"),
                cors.withOrigins(CorsPolicy.origins(" https://a.example, https://b.example ,")).allowOrigins());
    }
}
