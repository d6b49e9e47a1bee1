package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code java -jar files-api-local.jar --backend aws} as a user runs it, in a JVM of its own, on the DynamoDB and S3
 * the environment names (see External): the endpoint reaches the server only as {@code AWS_ENDPOINT_URL}, as it
 * would from a user's shell. Skipped, saying so, without FILES_API_TEST_BACKEND.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalLocalServerTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final String KEY = TestApi.KEY_A;

    private final HttpClient http = HttpClient.newHttpClient();
    private Backend backend;
    private final List<String> createdTables = new ArrayList<>();

    @BeforeAll
    void start() {
        // Tables and bucket of a unique name, deleted at the end; the server is pointed at them.
        backend = External.start();
    }

    @AfterAll
    void stop() {
        if (backend == null) {
            return;
        }
        for (String table : createdTables) {
            backend.clients().dynamo().deleteTable(d -> d.tableName(table));
        }
        backend.close();
    }

    /** The server's environment: the endpoint as the standard AWS variable, and emulator credentials if none. */
    private static Map<String, String> awsEnvironment() {
        Map<String, String> env = new HashMap<>();
        String endpoint = System.getenv("FILES_API_TEST_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            env.put("AWS_ENDPOINT_URL", endpoint);
        }
        boolean emulator = endpoint != null || System.getenv("AWS_ENDPOINT_URL") != null;
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && emulator) {
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
        }
        if (System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null) {
            env.put("AWS_REGION", "us-east-1");
        }
        return env;
    }

    private static ProcessBuilder server(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LocalServer.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("FILES_API_") || name.equals("PORT"));
        builder.environment().putAll(awsEnvironment());
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        return builder;
    }

    /** Starts the server and returns it with its base URL, read from its banner. */
    private record Running(Process process, String baseUrl) {}

    private static Running startServer(Map<String, String> env, String... args) throws Exception {
        Process process = server(env, args).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Running(process, m.group(1));
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("the server did not start:\n" + seen);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSameApiRunsOnTheNamedTablesAndBucket() throws Exception {
        Running server = startServer(Map.of("FILES_API_KEYS", KEY + ":acct_external", "FILES_API_BACKEND", "aws"),
                "--port", "0", "--table", backend.table(), "--bucket", backend.bucket(),
                "--template", System.getProperty("files.api.template"));
        try {
            byte[] pdf = Samples.pdf(3000);
            TestApi.MultipartBody body = TestApi.multipart().field("purpose", "dispute_evidence")
                    .file("doc.pdf", "application/pdf", pdf);
            HttpResponse<byte[]> upload = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                    .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(
                            body.bytes())));
            assertEquals(200, upload.statusCode(), new String(upload.body(), StandardCharsets.UTF_8));
            String fileId = TestApi.MAPPER.readTree(upload.body()).path("id").asText();
            assertTrue(backend.clients().dynamo().scan(s -> s.tableName(backend.table())).items().stream()
                    .anyMatch(item -> item.toString().contains(fileId)), "the file is in the table named");

            HttpResponse<byte[]> link = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/file_links"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("file=" + fileId)));
            assertEquals(200, link.statusCode(), new String(link.body(), StandardCharsets.UTF_8));
            JsonNode json = TestApi.MAPPER.readTree(link.body());
            String token = json.path("url").asText().substring(json.path("url").asText().lastIndexOf('/') + 1);
            HttpResponse<byte[]> redirect = http.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/links/" + token)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(302, redirect.statusCode());
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(
                    URI.create(redirect.headers().firstValue("Location").orElseThrow())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode(), "the presigned URL names the endpoint the server uses");
            assertArrayEquals(pdf, download.body());

            HttpResponse<byte[]> listed = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files")));
            assertEquals(fileId, TestApi.MAPPER.readTree(listed.body()).path("data").path(0).path("id").asText());
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingTablesAreCreatedOnlyWhenAsked() throws Exception {
        String table = "files-api-test-" + UUID.randomUUID().toString().substring(0, 8);
        Process refused = server(Map.of(), "--backend", "aws", "--port", "0", "--table", table, "--bucket",
                backend.bucket(), "--template", System.getProperty("files.api.template")).start();
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        String message = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(1, refused.exitValue(), message);
        assertTrue(message.startsWith("files-api-local: table " + table + " and table " + table + "-lists not found"),
                message);
        assertTrue(message.contains("pass --create"), message);
        String endpoint = awsEnvironment().get("AWS_ENDPOINT_URL");
        if (endpoint != null) {
            assertTrue(message.contains(" at " + endpoint), "names where it looked: " + message);
        }
        assertEquals(1, message.lines().count(), message);

        createdTables.add(table);
        createdTables.add(table + "-lists");
        Running server = startServer(Map.of("FILES_API_KEYS", KEY + ":acct_external"), "--backend", "aws",
                "--port", "0", "--table", table, "--bucket", backend.bucket(), "--create",
                "--template", System.getProperty("files.api.template"));
        try {
            HttpResponse<byte[]> list = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files")));
            assertEquals(200, list.statusCode(), new String(list.body(), StandardCharsets.UTF_8));
            assertEquals("ACTIVE", backend.clients().dynamo().describeTable(d -> d.tableName(table + "-lists"))
                    .table().tableStatusAsString());
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
