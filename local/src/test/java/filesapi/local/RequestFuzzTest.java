package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.fakes.SettableClock;
import filesapi.lambda.AwsClients;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Property: whatever bytes, headers, query strings and paths arrive, the answer is a Stripe response — never a 5xx,
 * never an uncaught exception, and every JSON body validates against Stripe's schema (TestApi checks that) — and no
 * request makes a DynamoDB call that DynamoDB refuses with a ValidationException, even one the code catches: bad
 * input is refused before it reaches DynamoDB. Inputs
 * are generated from a seed (printed on failure, so a finding replays) by mutating valid requests; the corpus in
 * src/test/resources/fuzz-corpus holds earlier tricky inputs and runs first. FUZZ_ITERATIONS sets the count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzTest {
    private static final int ITERATIONS = Integer.parseInt(System.getenv().getOrDefault("FUZZ_ITERATIONS", "2500"));
    private static final long SEED = Long.parseLong(System.getenv().getOrDefault("FUZZ_SEED", "20261125"));
    private static final List<String> METHODS = List.of("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> PATHS = List.of("/v1/files", "/v1/files/{file}", "/v1/files/{file}/contents",
            "/v1/file_links", "/v1/file_links/{link}", "/links/{token}", "/", "/v1", "/v1/files/", "//v1//files");
    private static final List<String> PARAMS = List.of("purpose", "limit", "starting_after", "ending_before",
            "created", "created[gte]", "created[lt]", "expand[]", "expand[0]", "file", "expired", "expires_at",
            "metadata[k]", "metadata", "file_link_data[create]", "file_link_data[metadata][k]", "x[", "]", "a[b][c]");
    private static final List<String> VALUES = List.of("", "1", "-1", "0", "100", "101", "99999999999999999999",
            "now", "true", "false", "dispute_evidence", "links", "data.file", "file_x", "%", "%zz", "%00", "\u00e9",
            "\ud83d\udca9", "a b", "+", "[]", "&", "=", "link_", "file_0000000000000000000000000");

    private Backend backend;
    private TestApi api;
    private String fileId;
    private String linkId;
    private String token;

    /** Every ValidationException DynamoDB raised, caught or not, since the last check. */
    private final List<String> validationErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        backend = recordingValidationErrors(Backend.embedded(), validationErrors);
        api = new TestApi(backend, SettableClock.startingNow(), "_fuzz");
        fileId = api.upload(KEY_A, TestApi.multipart().field("purpose", "dispute_evidence")
                .file("f.pdf", "application/pdf", Samples.pdf(500))).json().path("id").asText();
        JsonNode link = api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).json();
        linkId = link.path("id").asText();
        String url = link.path("url").asText();
        token = url.substring(url.lastIndexOf('/') + 1);
    }

    @AfterAll
    void stop() {
        backend.close();
    }

    record Request(String method, String target, Map<String, String> headers, byte[] body) {}

    /** The backend with its DynamoDB client wrapped so every ValidationException it raises is noted. */
    private static Backend recordingValidationErrors(Backend backend, List<String> errors) {
        DynamoDbClient real = backend.clients().dynamo();
        DynamoDbClient recording = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof DynamoDbException d && d.awsErrorDetails() != null
                                && "ValidationException".equals(d.awsErrorDetails().errorCode())) {
                            errors.add(method.getName() + ": " + d.awsErrorDetails().errorMessage());
                        }
                        throw e.getCause();
                    }
                });
        AwsClients clients = new AwsClients(recording, backend.clients().s3());
        return new Backend() {
            public AwsClients clients() { return clients; }
            public String table() { return backend.table(); }
            public String bucket() { return backend.bucket(); }
            public void close() { backend.close(); }
        };
    }

    private void check(Request r, String origin) {
        TestApi.Response response;
        validationErrors.clear();
        try {
            response = api.call(r.method, r.target, null, r.headers, r.body);
        } catch (AssertionError e) {
            throw new AssertionError(origin + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionError(origin + ": handler threw " + e, e);
        }
        assertEquals(List.of(), validationErrors, origin + ": DynamoDB refused a call for " + r.method + " "
                + r.target + " " + r.headers);
        if (response.status() >= 500) {
            fail(origin + ": status " + response.status() + " for " + r.method + " " + r.target + " " + r.headers
                    + "\n" + response.text());
        }
        boolean json = response.header("Content-Type") != null
                && response.header("Content-Type").startsWith("application/json");
        assertTrue(json || response.status() == 200 || response.status() == 302, origin + ": " + response.status());
        assertTrue(response.header("Request-Id") != null, origin);
        if (response.status() >= 400) {
            assertTrue(Set.of("invalid_request_error", "idempotency_error")
                    .contains(response.error().path("type").asText()), origin + ": " + response.text());
        }
    }

    @Test
    void corpusInputsGetStripeAnswers() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz-corpus");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 5);
        for (Path f : files) {
            check(parse(Files.readAllBytes(f)), f.getFileName().toString());
        }
    }

    /** A corpus file: a request line, header lines, a blank line, then the body bytes. */
    private Request parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(raw, split + 2, raw.length);
        String[] lines = head.split("\n");
        String[] requestLine = lines[0].split(" ", 2);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + KEY_A);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
        }
        return new Request(requestLine[0], requestLine[1], headers, body);
    }

    @Test
    void generatedRequestsGetStripeAnswers() {
        Random random = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            long caseSeed = random.nextLong();
            check(generate(new Random(caseSeed)), "seed " + SEED + " case " + i + " (case seed " + caseSeed + ")");
        }
    }

    /**
     * Coverage-guided: Jazzer mutates the bytes below toward new branches of request decoding, authentication,
     * idempotency and routing. Plain {@code mvn verify} replays the inputs kept under
     * src/test/resources/filesapi/local/RequestFuzzTestInputs/; with JAZZER_FUZZ=1 (as the pom sets for this module) it
     * fuzzes for a bounded number of executions.
     */
    @FuzzTest(maxExecutions = 100_000, maxDuration = "2m")
    @SuppressWarnings("try") // loopbackOnly is held for its scope, never read
    void coverageGuidedRequestsGetStripeAnswers(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String path = data.pickValue(PATHS).replace("{file}", data.consumeBoolean() ? fileId : data.consumeString(30))
                .replace("{link}", data.consumeBoolean() ? linkId : data.consumeString(30))
                .replace("{token}", data.consumeBoolean() ? token : data.consumeString(40));
        String query = data.consumeString(200);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", data.consumeBoolean() ? "Bearer " + KEY_A : data.consumeString(60));
        if (data.consumeBoolean()) {
            headers.put("Content-Type", data.pickValue(List.of("application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=b", data.consumeString(80))));
        }
        for (String name : List.of("Stripe-Version", "Idempotency-Key", "Stripe-Account")) {
            if (data.consumeBoolean()) {
                headers.put(name, data.consumeString(300));
            }
        }
        byte[] body = data.consumeRemainingAsBytes();
        String target = (path.startsWith("/") ? path : "/" + path) + (query.isEmpty() ? "" : "?" + query);
        try {
            URI.create("http://h" + target);
        } catch (IllegalArgumentException e) {
            return; // a target no HTTP client can send never reaches API Gateway
        }
        // Downloads reach the S3 emulator on loopback; Jazzer's SSRF detector stays on for every other host.
        try (var loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.equals("127.0.0.1"))) {
            check(new Request(method, target, headers, body), "jazzer input");
        }
    }

    private <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private Request generate(Random r) {
        String method = r.nextInt(4) == 0 ? pick(r, METHODS) : (r.nextBoolean() ? "GET" : "POST");
        String path = pick(r, PATHS).replace("{file}", r.nextInt(3) == 0 ? junk(r, 12) : fileId)
                .replace("{link}", r.nextInt(3) == 0 ? junk(r, 12) : linkId)
                .replace("{token}", r.nextInt(3) == 0 ? junk(r, 32) : token);
        StringBuilder query = new StringBuilder();
        int params = r.nextInt(4);
        for (int i = 0; i < params; i++) {
            query.append(i == 0 ? "" : "&").append(pick(r, PARAMS)).append('=').append(encode(r, pick(r, VALUES)));
        }
        if (r.nextInt(10) == 0) {
            query.append(junk(r, 20));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        switch (r.nextInt(10)) {
            case 0 -> { }
            case 1 -> headers.put("Authorization", "Basic " + junk(r, 16));
            case 2 -> headers.put("Authorization", pick(r, List.of("Bearer", "Bearer ", "bearer  " + KEY_A,
                    "Basic", "Bearer pk_test_" + junk(r, 24), "Bearer sk_live_" + junk(r, 24))));
            default -> headers.put("Authorization", "Bearer " + KEY_A);
        }
        if (r.nextInt(4) == 0) {
            headers.put("Stripe-Version", pick(r, List.of("2026-01-28.clover", "x", "2026-13-01", junk(r, 8), "")));
        }
        if (r.nextInt(4) == 0) {
            headers.put("Idempotency-Key", junk(r, r.nextInt(300)));
        }
        if (r.nextInt(8) == 0) {
            headers.put("Stripe-Account", pick(r, List.of("acct_" + junk(r, 10), "", "acct_B_fuzz", junk(r, 5))));
        }
        byte[] body = new byte[0];
        if (method.equals("POST")) {
            switch (r.nextInt(5)) {
                case 0 -> {
                    headers.put("Content-Type", "application/x-www-form-urlencoded");
                    body = (pick(r, PARAMS) + "=" + encode(r, pick(r, VALUES)) + "&file=" + fileId)
                            .getBytes(StandardCharsets.UTF_8);
                }
                case 1 -> {
                    TestApi.MultipartBody multipart = TestApi.multipart().field("purpose", pick(r, VALUES))
                            .file(junk(r, 6), pick(r, List.of("application/pdf", "null", "")), mutate(r,
                                    Samples.pdf(200 + r.nextInt(500))));
                    headers.put("Content-Type", multipart.contentType());
                    body = mutate(r, multipart.bytes());
                }
                case 2 -> {
                    headers.put("Content-Type", pick(r, List.of("multipart/form-data", "multipart/form-data; boundary=",
                            "multipart/form-data; boundary=\"" + junk(r, 5) + "\"", "application/json", "text/plain",
                            junk(r, 10))));
                    body = randomBytes(r, r.nextInt(400));
                }
                case 3 -> body = randomBytes(r, r.nextInt(100));
                default -> {
                    headers.put("Content-Type", "application/x-www-form-urlencoded");
                    body = junk(r, r.nextInt(100)).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return new Request(method, path + (query.length() > 0 ? "?" + query : ""), headers, body);
    }

    private static String encode(Random r, String value) {
        return r.nextBoolean() ? java.net.URLEncoder.encode(value, StandardCharsets.UTF_8) : value;
    }

    private static String junk(Random r, int length) {
        String alphabet = "abcXYZ019_-.~%[]&=+/?#\"' \u00e9\ud83d\ude00\u0000\r\n";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return bytes;
    }

    /** Flips, cuts or splices a few bytes of a valid body. */
    private static byte[] mutate(Random r, byte[] valid) {
        byte[] out = valid.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(5); i++) {
                    out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> out = Arrays.copyOf(out, r.nextInt(out.length));
            case 2 -> {
                int at = r.nextInt(out.length);
                byte[] junk = randomBytes(r, 1 + r.nextInt(20));
                byte[] joined = new byte[out.length + junk.length];
                System.arraycopy(out, 0, joined, 0, at);
                System.arraycopy(junk, 0, joined, at, junk.length);
                System.arraycopy(out, at, joined, at + junk.length, out.length - at);
                out = joined;
            }
            default -> { }
        }
        return out;
    }
}
