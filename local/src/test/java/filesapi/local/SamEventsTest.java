package filesapi.local;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import filesapi.admin.SampleData;
import filesapi.admin.SamplesCommand;
import filesapi.core.files.FileType;
import filesapi.lambda.Config;
import filesapi.lambda.Services;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample events in events/ (for {@code sam local invoke -e}): each is deserialised the way the Lambda Java
 * runtime does it and handed to the handler class template.yaml names for its function, against the embedded
 * emulators. An event belongs to the function it is named after: {@code events/<LogicalId>.json} or
 * {@code events/<LogicalId>.<variant>.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamEventsTest {
    static final String FILE_ID = SampleData.FILE_ID;
    static final String LINK_ID = SampleData.LINK_ID;

    private static final Pattern EVENT_FILE = Pattern.compile("([A-Za-z0-9]+)(?:\\.([a-z0-9-]+))?\\.json");

    /** What invoking an event must give. */
    sealed interface Outcome {}

    /** A 200 with a Stripe object; {@code id} when the event names an existing one. */
    record StripeObject(String object, String id) implements Outcome {}

    record Failure(int status, String type, String code, String param) implements Outcome {}

    /** A CORS preflight that reaches the catch-all route: 204, no body, for API Gateway to add its CORS headers to. */
    record Preflight() implements Outcome {}

    record Download(String contentType) implements Outcome {}

    record RedirectToS3() implements Outcome {}

    private static Failure invalidRequest(int status, String code, String param) {
        return new Failure(status, "invalid_request_error", code, param);
    }

    /** Every event file needs an entry, so a new event cannot go untested. */
    private static final Map<String, Outcome> EXPECTED = Map.ofEntries(
            entry("CreateFileFunction.json", new StripeObject("file", null)),
            entry("CreateFileFunction.bad-purpose.json", invalidRequest(400, null, "purpose")),
            entry("RetrieveFileFunction.json", new StripeObject("file", FILE_ID)),
            entry("RetrieveFileFunction.unknown-id.json", invalidRequest(404, "resource_missing", "file")),
            entry("ListFilesFunction.json", new StripeObject("list", null)),
            entry("ListFilesFunction.bad-limit.json", invalidRequest(400, "parameter_invalid_integer", "limit")),
            entry("ListFilesFunction.no-key.json", invalidRequest(401, null, null)),
            entry("FileContentsFunction.json", new Download(FileType.PDF.mimeType())),
            entry("CreateFileLinkFunction.json", new StripeObject("file_link", null)),
            entry("CreateFileLinkFunction.unknown-file.json", invalidRequest(400, "resource_missing", "file")),
            entry("UpdateFileLinkFunction.json", new StripeObject("file_link", LINK_ID)),
            entry("UpdateFileLinkFunction.past-expiry.json", invalidRequest(400, null, "expires_at")),
            entry("RetrieveFileLinkFunction.json", new StripeObject("file_link", LINK_ID)),
            entry("RetrieveFileLinkFunction.bad-key.json", invalidRequest(401, null, null)),
            entry("ListFileLinksFunction.json", new StripeObject("list", null)),
            entry("OpenFileLinkFunction.json", new RedirectToS3()),
            entry("OpenFileLinkFunction.expired.json", invalidRequest(404, null, null)),
            entry("CreateFileUploadFunction.json", new StripeObject("file_upload", null)),
            entry("CreateFileUploadFunction.too-large.json", invalidRequest(400, null, "size")),
            entry("CreateFileUploadFunction.not-uploadable.json", invalidRequest(400, null, "purpose")),
            entry("CompleteFileUploadFunction.unknown-id.json", invalidRequest(404, "resource_missing", "file_upload")),
            entry("RetrieveFileUploadFunction.unknown-id.json", invalidRequest(404, "resource_missing", "file_upload")),
            entry("NotFoundFunction.json", invalidRequest(404, null, null)),
            entry("NotFoundFunction.preflight.json", new Preflight()));

    /** A function of template.yaml: its logical id, its {@code Handler} ({@code class::method}) and its route key. */
    record SamFunction(String logicalId, String handlerClass, String handlerMethod, String routeKey) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final byte[] seededContents = SampleData.contents();
    private Backend backend;
    private Services services;
    private Router router;
    private Map<String, SamFunction> functions;

    /** The embedded emulators, adversarial; External* subclasses choose another backend. */
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }

    @BeforeAll
    void startAndSeed() throws Exception {
        backend = startBackend();
        // The real clock: S3Proxy checks the opener's presigned URL against its own.
        Clock clock = Clock.systemUTC();
        services = Services.create(new Config(backend.table(), backend.bucket(), "", Duration.ofSeconds(300)),
                backend.clients(), clock);
        TemplateModel template = TestApi.template();
        router = new Router(template.routes(), className -> LocalServer.instantiate(className, services));
        functions = functions(template);
        // What users run against a deployment; twice, since a second run must be harmless.
        for (int run = 0; run < 2; run++) {
            assertEquals(0, SamplesCommand.run(new String[] {"--table", backend.table(), "--bucket", backend.bucket()},
                    Map.of(), backend.clients(), new PrintStream(OutputStream.nullOutputStream())));
        }
    }

    @AfterAll
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static Map<String, SamFunction> functions(TemplateModel template) throws IOException {
        Map<String, String> routeKeys = new TreeMap<>();
        for (TemplateModel.Route r : template.routes()) {
            routeKeys.put(r.function(), r.path().equals("$default") ? "$default" : r.method() + " " + r.path());
        }
        JsonNode resources = new ObjectMapper(new YAMLFactory()).readTree(templatePath().toFile()).path("Resources");
        Map<String, SamFunction> functions = new TreeMap<>();
        resources.properties().forEach(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                String[] handler = r.getValue().path("Properties").path("Handler").asText().split("::");
                functions.put(r.getKey(), new SamFunction(r.getKey(), handler[0],
                        handler.length > 1 ? handler[1] : "handleRequest", routeKeys.get(r.getKey())));
            }
        });
        return functions;
    }

    private static Path templatePath() {
        return Path.of(System.getProperty("files.api.template", "../template.yaml"));
    }

    private static Path eventsDir() {
        return templatePath().toAbsolutePath().resolveSibling("events");
    }

    Stream<String> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(eventsDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void everyFunctionHasAnEventAndEveryEventNamesAFunction() throws IOException {
        Set<String> withEvents = new TreeSet<>();
        List<String> orphans = new ArrayList<>();
        for (String name : eventFiles().toList()) {
            Matcher m = EVENT_FILE.matcher(name);
            if (m.matches() && functions.containsKey(m.group(1))) {
                withEvents.add(m.group(1));
            } else {
                orphans.add(name);
            }
        }
        Set<String> without = new TreeSet<>(functions.keySet());
        without.removeAll(withEvents);
        assertEquals(Set.of(), without, "functions of template.yaml with no events/<LogicalId>.json");
        assertEquals(List.of(), orphans, "files in events/ that name no function: events/<LogicalId>[.<variant>].json");
        assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(eventFiles().toList()),
                "every event needs an expected outcome in this test, and every outcome an event");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventFiles")
    void eventGivesItsExpectedOutcome(String eventFile) throws Exception {
        try {
            invokeAndCheck(eventFile);
        } catch (AssertionError e) {
            throw new AssertionError(eventFile + ": " + e.getMessage(), e);
        }
    }

    private void invokeAndCheck(String eventFile) throws Exception {
        Matcher name = EVENT_FILE.matcher(eventFile);
        SamFunction function = name.matches() ? functions.get(name.group(1)) : null;
        Outcome expected = EXPECTED.get(eventFile);
        if (function == null || expected == null) {
            fail(eventFile + " names no function or has no expected outcome (see the naming test)");
        }
        Class<?> handlerClass = Class.forName(function.handlerClass());
        assertEquals("handleRequest", function.handlerMethod(), function.logicalId() + "'s Handler method");
        try {
            handlerClass.getConstructor();
        } catch (NoSuchMethodException e) {
            fail(function.handlerClass() + " needs the public no-argument constructor Lambda instantiates it with");
        }
        assertEquals(APIGatewayV2HTTPEvent.class, inputType(handlerClass),
                "an HTTP API (payload 2.0) route delivers this type");

        APIGatewayV2HTTPEvent event;
        try (InputStream in = Files.newInputStream(eventsDir().resolve(eventFile))) {
            event = serializer(APIGatewayV2HTTPEvent.class).fromJson(in);
        }
        assertIsWhatApiGatewaySends(event, function);

        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
                LocalServer.instantiate(function.handlerClass(), services);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext(function.logicalId()));
        TestApi.Response r = TestApi.toResponse(asApiGatewayReadsIt(response));
        assertOutcome(expected, r);
    }

    /** The serializer the runtime picks for a handler's input or output type. */
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, SamEventsTest.class.getClassLoader());
    }

    /** The runtime deserialises an event into the input type of the handler's {@code RequestHandler<I, O>}. */
    private static Class<?> inputType(Class<?> handlerClass) {
        for (Class<?> c = handlerClass; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return (Class<?>) p.getActualTypeArguments()[0];
                }
            }
        }
        throw new AssertionError(handlerClass + " is not a RequestHandler");
    }

    /**
     * The event is what the HTTP API sends this function for that request: the same route key, path parameters,
     * query parameters and body encoding as the local server's event for the same method, path, headers and body.
     */
    private void assertIsWhatApiGatewaySends(APIGatewayV2HTTPEvent event, SamFunction function) {
        assertEquals("2.0", event.getVersion());
        assertEquals("$default", event.getRequestContext().getStage());
        assertEquals(function.routeKey(), event.getRouteKey(), "routeKey is " + function.logicalId() + "'s route");
        assertEquals(function.routeKey(), event.getRequestContext().getRouteKey(), "requestContext.routeKey");
        APIGatewayV2HTTPEvent.RequestContext.Http request = event.getRequestContext().getHttp();
        assertEquals(event.getRawPath(), request.getPath(), "requestContext.http.path");
        event.getHeaders().keySet().forEach(h ->
                assertEquals(h.toLowerCase(Locale.ROOT), h, "HTTP APIs send header names in lower case"));

        Router.Match route = router.match(request.getMethod(), event.getRawPath());
        assertEquals(function.routeKey(), route.routeKey(), request.getMethod() + " " + event.getRawPath()
                + " is routed to another function");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        event.getHeaders().forEach((k, v) -> headers.put(k, List.of(v)));
        byte[] body = event.getBody() == null ? null : event.getIsBase64Encoded()
                ? Base64.getDecoder().decode(event.getBody()) : event.getBody().getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent sent = ApiGatewayEvents.build(request.getMethod(), event.getRawPath(),
                event.getRawQueryString(), headers, body, route, request.getSourceIp());
        assertEquals(sent.getPathParameters(), event.getPathParameters(), "pathParameters");
        assertEquals(sent.getQueryStringParameters(), event.getQueryStringParameters(), "queryStringParameters");
        assertEquals(sent.getIsBase64Encoded(), event.getIsBase64Encoded(), "isBase64Encoded");
        assertEquals(sent.getBody(), event.getBody(), "body");
    }

    /** The response as API Gateway gets it: serialised by the runtime, read back as the event type it is. */
    private static APIGatewayV2HTTPResponse asApiGatewayReadsIt(APIGatewayV2HTTPResponse response)
            throws IOException {
        PojoSerializer<APIGatewayV2HTTPResponse> serializer = serializer(APIGatewayV2HTTPResponse.class);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        serializer.toJson(response, json);
        JsonNode wire = TestApi.MAPPER.readTree(json.toByteArray());
        for (String field : List.of("statusCode", "headers", "body", "isBase64Encoded")) {
            assertTrue(wire.has(field), "API Gateway reads '" + field + "' from the response: " + wire);
        }
        return serializer.fromJson(new ByteArrayInputStream(json.toByteArray()));
    }

    private void assertOutcome(Outcome expected, TestApi.Response r) throws Exception {
        if (expected instanceof StripeObject object) {
            assertEquals(200, r.status(), r.text());
            assertEquals(object.object(), r.json().path("object").asText(), r.text());
            if (object.id() != null) {
                assertEquals(object.id(), r.json().path("id").asText(), r.text());
            }
        } else if (expected instanceof Failure failure) {
            assertEquals(failure.status(), r.status(), r.text());
            JsonNode error = r.error();
            assertEquals(failure.type(), error.path("type").asText(), r.text());
            assertEquals(failure.code(), error.path("code").textValue(), r.text());
            assertEquals(failure.param(), error.path("param").textValue(), r.text());
        } else if (expected instanceof Download download) {
            assertEquals(200, r.status(), r.text());
            assertEquals(download.contentType(), r.header("Content-Type"));
            assertTrue(r.header("Content-Disposition").startsWith("attachment"), r.header("Content-Disposition"));
            assertArrayEquals(seededContents, r.body());
        } else if (expected instanceof Preflight) {
            assertEquals(204, r.status(), r.text());
            assertEquals("", r.text());
        } else if (expected instanceof RedirectToS3) {
            assertEquals(302, r.status(), r.text());
            String location = r.header("Location");
            assertTrue(location.startsWith(
                    backend.clients().s3().serviceClientConfiguration().endpointOverride().orElseThrow() + "/"), location);
            HttpResponse<byte[]> object = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, object.statusCode(), "the S3 emulator accepts the presigned URL");
            assertArrayEquals(seededContents, object.body());
        } else {
            fail("no check for " + expected);
        }
    }

    /** What the runtime passes as the handler's context; the handlers read nothing from it. */
    private record TestContext(String functionName) implements Context {
        public String getAwsRequestId() { return "00000000-0000-4000-8000-000000000000"; }
        public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        public String getLogStreamName() { return "2026/12/01/[$LATEST]0000000000000000"; }
        public String getFunctionName() { return functionName; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 15_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {}
                public void log(byte[] message) {}
            };
        }
    }
}
