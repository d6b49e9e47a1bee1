package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser: headless Chromium loads a page from another origin that uploads a file with a publishable key
 * through {@code fetch} and reads the exposed {@code Request-Id}, as Stripe.js-style code does; a page from an origin
 * the settings do not list is refused by the browser itself. Skipped where no Chromium is installed ({@code .ci/run}
 * installs Debian's).
 */
class BrowserCorsTest {
    private static final Path[] CHROMIUM = {Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
        Path.of("/usr/bin/google-chrome")};

    private LocalServer api;
    private HttpServer allowedSite;
    private HttpServer otherSite;
    private final CompletableFuture<String> report = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        allowedSite = site();
        otherSite = site();
        api = LocalServer.start(new LocalServer.Options(LocalServer.Options.DEFAULT_HOST, 0, null,
                Path.of(System.getProperty("files.api.template")), TestApi.KEYS, null, null,
                List.of(origin(allowedSite)), Clock.systemUTC(), null));
    }

    @AfterEach
    void stop() {
        api.close();
        allowedSite.stop(0);
        otherSite.stop(0);
    }

    @Test
    void aPageFromAnAllowedOriginUploadsWithAPublishableKeyAndReadsTheRequestId(@TempDir Path profile)
            throws Exception {
        JsonNode result = runPage(allowedSite, profile);
        assertEquals(200, result.path("status").asInt(), result.toString());
        assertTrue(result.path("requestId").asText().startsWith("req_"), result.toString());
        assertEquals("2026-10-28.endive", result.path("stripeVersion").asText(), result.toString());
        String id = result.path("id").asText();
        HttpResponse<String> stored = get("/v1/files/" + id);
        assertEquals(200, stored.statusCode(), stored.body());
        assertEquals("browser.pdf", TestApi.MAPPER.readTree(stored.body()).path("filename").asText());
    }

    @Test
    void aPageFromAnotherOriginIsRefusedByTheBrowser(@TempDir Path profile) throws Exception {
        JsonNode result = runPage(otherSite, profile);
        assertEquals("TypeError", result.path("error").asText(), result.toString());
        assertEquals(0, TestApi.MAPPER.readTree(get("/v1/files").body()).path("data").size(),
                "the preflight failed, so the upload was never sent");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Authorization", "Bearer " + TestApi.KEY_A).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A site on its own port (so its own origin) serving the page and taking its report. */
    private HttpServer site() throws Exception {
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        site.createContext("/page", exchange -> {
            byte[] page = page().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.createContext("/report", exchange -> {
            report.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        site.start();
        return site;
    }

    private static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    private String page() {
        return """
                <!doctype html><meta charset="utf-8"><title>upload</title>
                <script>
                (async () => {
                  let result;
                  try {
                    const form = new FormData();
                    form.append('purpose', 'dispute_evidence');
                    form.append('file', new Blob(['%PDF-1.4\\n%%EOF\\n'], {type: 'application/pdf'}), 'browser.pdf');
                    const response = await fetch('API/v1/files', {method: 'POST', body: form,
                        headers: {'Authorization': 'Bearer KEY', 'Stripe-Version': '2026-10-28.endive'}});
                    const body = await response.json();
                    result = {status: response.status, id: body.id, requestId: response.headers.get('Request-Id'),
                              stripeVersion: response.headers.get('Stripe-Version')};
                  } catch (e) {
                    result = {error: e.name, message: String(e.message)};
                  }
                  await fetch('/report', {method: 'POST', body: JSON.stringify(result)});
                })();
                </script>
                """.replace("API", api.baseUrl()).replace("KEY", TestApi.KEY_A_PUBLISHABLE);
    }

    private JsonNode runPage(HttpServer site, Path profile) throws Exception {
        Optional<Path> chromium = Stream.of(CHROMIUM).filter(p -> p.toFile().canExecute()).findFirst();
        assumeTrue(chromium.isPresent(), "no Chromium at /usr/bin/chromium: the browser test is skipped"
                + " (Debian: apt-get install chromium; .ci/run installs it)");
        // The flags keep a headless Chromium off the network, which this machine and CI do not have.
        Process browser = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
                origin(site) + "/page")
                .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        try {
            return TestApi.MAPPER.readTree(report.get(60, TimeUnit.SECONDS));
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
