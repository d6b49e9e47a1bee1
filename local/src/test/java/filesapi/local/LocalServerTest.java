package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
            JsonNode list = TestApi.MAPPER.readTree(response.body());
            assertEquals("list", list.path("object").asText());
            assertTrue(response.headers().firstValue("Request-Id").orElseThrow().startsWith("req_"));
        }
    }

    @Test
    void theBannerSaysWhereRoutesKeysAndConnectionsCameFromAndGivesScriptsTheUrl() throws Exception {
        LocalServer.Options options = new LocalServer.Options(LocalServer.Options.DEFAULT_HOST, 0, null,
                Path.of("no-such-dir/template.yaml"), TestApi.KEY_A_FILES_READ + ":acct_A:read," + TestApi.KEY_A
                + ":acct_A," + TestApi.KEY_A_LIVE + ":acct_A", "acct_A:acct_B", null, null, Clock.systemUTC(), null);
        try (LocalServer server = LocalServer.start(options)) {
            String banner = server.banner(options);
            assertTrue(banner.contains("routes from the template.yaml copy inside the jar;"), banner);
            assertTrue(banner.contains(TestApi.KEY_A_FILES_READ + " -> acct_A (test mode, restricted key: Files read)"),
                    banner);
            assertTrue(banner.contains(TestApi.KEY_A_LIVE + " -> acct_A (live mode, secret key: everything)"), banner);
            assertTrue(banner.contains("Connect: acct_A may act on acct_B with Stripe-Account: acct_B"), banner);
            assertTrue(banner.contains("curl " + server.baseUrl() + "/v1/files -u " + TestApi.KEY_A + ":\n"),
                    "the curl lines use a secret test key: " + banner);
            List<String> url = banner.lines().filter(l -> l.startsWith("FILES_API_URL=")).toList();
            assertEquals(List.of("FILES_API_URL=" + server.baseUrl()), url);
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(url.get(0).substring("FILES_API_URL=".length())
                    + "/_local/health")).header("Authorization", "Bearer " + TestApi.KEY_A).build()).statusCode());
        }
        LocalServer.Options fromFile = options(null, null);
        try (LocalServer server = LocalServer.start(fromFile)) {
            assertTrue(server.banner(fromFile).contains("routes from " + fromFile.template().toAbsolutePath()
                    .normalize() + ";"), server.banner(fromFile));
        }
    }

    /** Runs the banner's lines through a real shell and curl, exactly as a user pastes them. */
    @Test
    void printedLinesRunInAShell() throws Exception {
        assumeTrue(onPath("curl") && onPath("bash"), "curl or bash is not installed: the pasted lines cannot be run");
        LocalServer.Options options = options(null, null);
        try (LocalServer server = LocalServer.start(options)) {
            List<String> lines = server.banner(options).lines().map(String::strip)
                    .filter(l -> l.contains("curl ")).toList();
            assertEquals(2, lines.size(), server.banner(options));
            JsonNode list = TestApi.MAPPER.readTree(shell(lines.get(0)));
            assertEquals("list", list.path("object").asText());
            JsonNode uploaded = TestApi.MAPPER.readTree(shell(lines.get(1)));
            assertEquals("file", uploaded.path("object").asText(), uploaded.toString());
            assertEquals("pdf", uploaded.path("type").asText());
            assertEquals("hello.pdf", uploaded.path("filename").asText());
            JsonNode listed = TestApi.MAPPER.readTree(shell(lines.get(0)));
            assertEquals(uploaded.path("id"), listed.path("data").path(0).path("id"));
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static String shell(String line) throws Exception {
        // stderr carries curl's progress meter, which a terminal user sees beside the body, not in it.
        Process p = new ProcessBuilder("bash", "-c", line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), line + " -> " + out);
        return out;
    }

    @Test
    void unknownRoutesAndOversizedBodiesGetStripeShapedErrors() throws Exception {
        try (LocalServer server = LocalServer.start(options(null, TestApi.KEYS))) {
            HttpResponse<byte[]> notFound = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/nope"))
                    .header("Authorization", "Bearer " + TestApi.KEY_A).build());
            assertEquals(404, notFound.statusCode());
            assertEquals("invalid_request_error",
                    TestApi.MAPPER.readTree(notFound.body()).path("error").path("type").asText());
            HttpResponse<byte[]> tooLarge = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + TestApi.KEY_A)
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[11 * 1024 * 1024])).build());
            assertEquals(413, tooLarge.statusCode());
            assertEquals("invalid_request_error",
                    TestApi.MAPPER.readTree(tooLarge.body()).path("error").path("type").asText());
            for (HttpResponse<byte[]> r : List.of(notFound, tooLarge)) {
                assertTrue(r.headers().firstValue("Request-Id").orElse("").startsWith("req_"), r.toString());
                assertEquals("2026-09-30.endive", r.headers().firstValue("Stripe-Version").orElse(null));
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
                assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
            }
        }
    }

    private int status(LocalServer server, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + key).build()).statusCode();
    }

    /** Keys and connections are settings, read at every start; the data folder keeps only data. */
    @Test
    void keysRemovedFromTheSettingsStopWorkingOnRestart(@TempDir Path dir) throws Exception {
        String a = "sk_test_keptkeykeptkeykeptkey0";
        String b = "sk_test_removedkeyremovedkey00";
        String generated;
        try (LocalServer server = LocalServer.start(options(dir, null))) {
            generated = server.keys().get(0).key();
        }
        try (LocalServer server = LocalServer.start(new LocalServer.Options(0, dir,
                Path.of(System.getProperty("files.api.template")), a + ":acct_Kept," + b + ":acct_Removed",
                "acct_Kept:acct_Removed", null, Clock.systemUTC()))) {
            assertEquals(200, status(server, a));
            assertEquals(200, status(server, b));
            assertEquals(401, status(server, generated), "the generated key is no longer the default");
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + a).header("Stripe-Account", "acct_Removed").build())
                    .statusCode());
        }
        try (LocalServer server = LocalServer.start(options(dir, a + ":acct_Kept"))) {
            assertEquals(200, status(server, a));
            assertEquals(401, status(server, b), "removed from FILES_API_KEYS");
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + a).header("Stripe-Account", "acct_Removed").build())
                    .statusCode(), "removed from FILES_API_CONNECT");
        }
        try (LocalServer server = LocalServer.start(options(dir, null))) {
            assertEquals(generated, server.keys().get(0).key(), "the default key is kept in the data folder");
            assertEquals(200, status(server, generated));
            assertEquals(401, status(server, a));
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
            id = TestApi.MAPPER.readTree(created.body()).path("id").asText();
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
