package filesapi.local;

import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import filesapi.core.Log;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.Config;
import filesapi.lambda.Services;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Drives the handlers in-process with API Gateway events, routed from template.yaml exactly as the local server
 * routes them. Every JSON body that comes back is checked against Stripe's OpenAPI schema, and every handler may
 * make only the AWS calls it declares, as its function's role allows when deployed.
 */
public final class TestApi {
    /** For reading responses in tests; the API itself writes JSON with Jackson's streaming generator. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    public static final String KEY_A = "sk_test_aaaaaaaaaaaaaaaaaaaaaaaa";
    public static final String KEY_A_LIVE = "sk_live_aaaaaaaaaaaaaaaaaaaaaaaa";
    public static final String KEY_B = "sk_test_bbbbbbbbbbbbbbbbbbbbbbbb";
    public static final String KEY_A_PUBLISHABLE = "pk_test_aaaaaaaaaaaaaaaaaaaaaaaa";
    public static final String KEY_B_LIVE = "sk_live_bbbbbbbbbbbbbbbbbbbbbbbb";
    /** Restricted keys of account A with each Files permission. */
    public static final String KEY_A_FILES_READ = "rk_test_aaaaaaaaaaaaaaaaaaaaread";
    public static final String KEY_A_FILES_WRITE = "rk_test_aaaaaaaaaaaaaaaaaaawrite";
    public static final String KEY_A_FILES_NONE = "rk_test_aaaaaaaaaaaaaaaaaaaanone";
    public static final String KEYS = keys("");

    private final Router router;
    private final Services services;
    private final DeclaredOperations roles = new DeclaredOperations();

    static {
        Log.quiet(true);
    }

    /** The test keys, for accounts {@code acct_A<suffix>} and {@code acct_B<suffix>}. */
    public static String keys(String accountSuffix) {
        return KEY_A + ":acct_A" + accountSuffix + "," + KEY_A_LIVE + ":acct_A" + accountSuffix + ","
                + KEY_A_PUBLISHABLE + ":acct_A" + accountSuffix + "," + KEY_B + ":acct_B" + accountSuffix + ","
                + KEY_B_LIVE + ":acct_B" + accountSuffix + "," + KEY_A_FILES_READ + ":acct_A" + accountSuffix + ":read,"
                + KEY_A_FILES_WRITE + ":acct_A" + accountSuffix + ":write," + KEY_A_FILES_NONE + ":acct_A"
                + accountSuffix + ":none";
    }

    public TestApi(Backend backend, Clock clock) {
        this(backend, clock, "");
    }

    /** A suffix gives this instance's keys accounts of their own, so a test starts with empty accounts. */
    public TestApi(Backend backend, Clock clock, String accountSuffix) {
        Config config = new Config(backend.table(), backend.bucket(), "", Duration.ofSeconds(300));
        this.services = Services.create(config, roles.wrap(backend.clients()), clock);
        try {
            LocalServer.seedKeys(services.provisioning(), keys(accountSuffix), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.router = new Router(template().routes(),
                name -> roles.enforcing((ApiHandler) LocalServer.instantiate(name, services)));
    }

    public Services services() {
        return services;
    }

    static TemplateModel template() {
        try {
            return TemplateModel.load(Path.of(System.getProperty("files.api.template", "../template.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode error() {
            return json().path("error");
        }
    }

    public Response get(String key, String pathAndQuery) {
        return call("GET", pathAndQuery, key, Map.of(), null);
    }

    public Response postForm(String key, String pathAndQuery, String form) {
        return call("POST", pathAndQuery, key, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.UTF_8));
    }

    public Response upload(String key, MultipartBody body) {
        return call("POST", "/v1/files", key, Map.of("Content-Type", body.contentType()), body.bytes());
    }

    public Response call(String method, String pathAndQuery, String key, Map<String, String> extraHeaders,
                         byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("files.test"));
        headers.put("X-Forwarded-Proto", List.of("https"));
        headers.put("User-Agent", List.of("files-api-tests"));
        if (key != null) {
            headers.put("Authorization", List.of("Bearer " + key));
        }
        extraHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
        Router.Match match = router.match(method, path);
        APIGatewayV2HTTPEvent event = ApiGatewayEvents.build(method, path, query, headers, body, match, "127.0.0.1");
        APIGatewayV2HTTPResponse response = match.handler().handleRequest(event, null);
        if (!roles.refused().isEmpty()) {
            fail("AWS calls the handler does not declare in operations(), refused as its role would: "
                    + roles.refused());
        }
        return toResponse(response);
    }

    static Response toResponse(APIGatewayV2HTTPResponse response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (response.getHeaders() != null) {
            headers.putAll(response.getHeaders());
        }
        byte[] body = response.getBody() == null ? new byte[0] : response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        Response r = new Response(response.getStatusCode(), headers, body);
        if (headers.getOrDefault("Content-Type", "").startsWith("application/json")) {
            checkSchema(r);
        }
        return r;
    }

    /** Fails the test when a JSON body does not validate against Stripe's schema for what it claims to be. */
    static void checkSchema(Response r) {
        JsonNode json = r.json();
        String pointer;
        if (json.has("error")) {
            pointer = StripeSchema.ERROR;
        } else {
            String object = json.path("object").asText();
            String url = json.path("url").asText();
            pointer = switch (object) {
                case "file" -> StripeSchema.FILE;
                case "file_link" -> StripeSchema.FILE_LINK;
                case "list" -> url.startsWith("/v1/file_links") ? StripeSchema.FILE_LINK_LIST : StripeSchema.FILE_LIST;
                // Our extension, in no Stripe schema: its shape is checked here, an expanded file against Stripe's.
                case "file_upload" -> checkFileUpload(json);
                default -> null;
            };
        }
        if (pointer == null) {
            fail("response is neither a Stripe object nor an error: " + r.text());
        }
        if (pointer.isEmpty()) {
            return;
        }
        var errors = StripeSchema.get().validate(pointer, r.text());
        if (!errors.isEmpty()) {
            fail("response does not match Stripe's schema " + pointer + ": " + errors + "\n" + r.text());
        }
    }

    /** The file_upload object's fields and their types; the pointer to check an expanded file with, or "". */
    private static String checkFileUpload(JsonNode json) {
        List<String> fields = List.of("id", "object", "created", "expires_at", "file", "filename", "last_error",
                "livemode", "metadata", "purpose", "size", "status", "upload_headers", "upload_method", "upload_url",
                "upload_url_expires_at");
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        if (!names.equals(fields) || !json.path("id").asText().startsWith("fupl_")
                || !json.path("size").canConvertToLong() || !json.path("metadata").isObject()
                || !List.of("open", "complete", "failed").contains(json.path("status").asText())
                || json.path("upload_url").isNull() != json.path("upload_url_expires_at").isNull()
                || json.path("file").isNull() != !json.path("status").asText().equals("complete")) {
            fail("not a file_upload object: " + json);
        }
        JsonNode file = json.path("file");
        if (file.isObject()) {
            var errors = StripeSchema.get().validate(StripeSchema.FILE, file.toString());
            if (!errors.isEmpty()) {
                fail("an expanded file does not match Stripe's schema: " + errors + "\n" + file);
            }
        }
        return "";
    }

    /** A multipart/form-data body built the way Stripe's clients build one. */
    public static final class MultipartBody {
        private final String boundary = UUID.randomUUID().toString();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<String> names = new ArrayList<>();

        public MultipartBody field(String name, String value) {
            part("Content-Disposition: form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public MultipartBody file(String filename, String contentType, byte[] bytes) {
            part("Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\nContent-Type: "
                    + contentType, bytes);
            return this;
        }

        private void part(String headers, byte[] bytes) {
            names.add(headers);
            out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }
    }

    public static MultipartBody multipart() {
        return new MultipartBody();
    }
}
