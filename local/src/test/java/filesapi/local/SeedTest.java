package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --seed FILE}: keys, connections, files and links a suite starts from, and {@code reset} returns to. */
class SeedTest {
    private static final String KEY = "sk_test_seedseedseedseedseed01";
    private final HttpClient http = HttpClient.newHttpClient();

    private static LocalServer start(Path seed, Path dataDir) throws Exception {
        return LocalServer.start(new LocalServer.Options(LocalServer.Options.DEFAULT_HOST, 0, dataDir,
                Path.of(System.getProperty("files.api.template")), null, null, null, null, Clock.systemUTC(), seed));
    }

    private HttpResponse<byte[]> get(LocalServer server, String path, String key, String account) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                : server.baseUrl() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (account != null) {
            request.header("Stripe-Account", account);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode ok(LocalServer server, String path, String key) throws Exception {
        HttpResponse<byte[]> response = get(server, path, key, null);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return TestApi.MAPPER.readTree(response.body());
    }

    private static Path yamlSeed(Path dir, byte[] pdf) throws Exception {
        Files.write(dir.resolve("evidence.pdf"), pdf);
        Files.write(dir.resolve("logo.png"), Samples.png(2000));
        return Files.writeString(dir.resolve("seed.yaml"), """
                accounts: [acct_SeedA, acct_SeedB]
                keys:
                  - {key: %s, account: acct_SeedA}
                  - {account: acct_SeedA, mode: test, kind: restricted, permission: read}
                  - {account: acct_SeedB, mode: live}
                connect:
                  - {platform: acct_SeedA, account: acct_SeedB}
                files:
                  - path: evidence.pdf
                    purpose: dispute_evidence
                    account: acct_SeedA
                    id: file_seeded1
                    links:
                      - metadata: {order: "42"}
                  - {path: logo.png, purpose: business_logo, account: acct_SeedB}
                """.formatted(KEY));
    }

    @Test
    void aSuiteStartsFromTheSeedAndResetReturnsToIt(@TempDir Path dir) throws Exception {
        byte[] pdf = Samples.pdf(1500);
        try (LocalServer server = start(yamlSeed(dir, pdf), null)) {
            assertEquals(3, server.keys().size(), "the seed's keys and no generated one: " + server.keys());
            String restricted = server.keys().get(1).key();
            assertTrue(restricted.startsWith("rk_test_"), restricted);
            assertTrue(server.keys().get(2).key().startsWith("sk_live_"));

            JsonNode file = ok(server, "/v1/files/file_seeded1", KEY);
            assertEquals("evidence.pdf", file.path("filename").asText());
            assertEquals("dispute_evidence", file.path("purpose").asText());
            assertEquals(1, ok(server, "/v1/files", restricted).path("data").size(), "a read key reads");
            JsonNode links = ok(server, "/v1/file_links?file=file_seeded1", KEY).path("data");
            assertEquals(1, links.size());
            assertEquals("42", links.path(0).path("metadata").path("order").asText());
            HttpResponse<byte[]> redirect = get(server, links.path(0).path("url").asText(), null, null);
            assertEquals(302, redirect.statusCode());
            assertArrayEquals(pdf, get(server, redirect.headers().firstValue("Location").orElseThrow(), null, null)
                    .body());
            assertEquals(1, server.seededLinks().size());

            JsonNode connected = TestApi.MAPPER.readTree(get(server, "/v1/files", KEY, "acct_SeedB").body());
            assertEquals(1, connected.path("data").size(), "acct_SeedA acts on acct_SeedB's test-mode logo");
            assertEquals(0, ok(server, "/v1/files", server.keys().get(2).key()).path("data").size(),
                    "a file is in test mode unless the seed says mode: live");

            HttpResponse<byte[]> another = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/v1/file_links")).header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("file=file_seeded1")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, another.statusCode());
            assertEquals(2, ok(server, "/v1/file_links?file=file_seeded1", KEY).path("data").size());
            server.reset();
            assertEquals(200, get(server, "/v1/files/file_seeded1", KEY, null).statusCode(), "back to the seed");
            assertEquals(restricted, server.keys().get(1).key(), "a generated seed key survives a reset");
            assertEquals(1, ok(server, "/v1/file_links?file=file_seeded1", KEY).path("data").size());
        }
    }

    @Test
    void aDataFolderGetsTheSeedFilesOnceAndJsonIsReadToo(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("e.pdf"), Samples.pdf(900));
        Path seed = Files.writeString(dir.resolve("seed.json"), """
                {"keys": [{"key": "%s", "account": "acct_SeedJ"}],
                 "files": [{"path": "e.pdf", "purpose": "dispute_evidence", "account": "acct_SeedJ"}]}
                """.formatted(KEY));
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int start = 0; start < 2; start++) {
            try (LocalServer server = start(seed, data)) {
                assertEquals(1, ok(server, "/v1/files", KEY).path("data").size(), "start " + start);
            }
        }
    }

    @Test
    void aBadSeedStopsTheStartWithAMessage(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "keys:\n  - {key: " + KEY + ", acount: acct_X}\n");
        Exception e = assertThrows(Exception.class, () -> start(typo, null).close());
        assertTrue(e.getMessage().contains("acount"), e.getMessage());
        Path undeclared = Files.writeString(dir.resolve("undeclared.yaml"),
                "accounts: [acct_X]\nkeys:\n  - {key: " + KEY + ", account: acct_Y}\n");
        e = assertThrows(IllegalArgumentException.class, () -> start(undeclared, null).close());
        assertTrue(e.getMessage().contains("acct_Y"), e.getMessage());
        Path missing = Files.writeString(dir.resolve("missing.yaml"),
                "files:\n  - {path: nope.pdf, purpose: dispute_evidence, account: acct_X}\n");
        assertThrows(Exception.class, () -> start(missing, null).close());
    }
}
