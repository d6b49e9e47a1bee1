package filesapi.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.ListWindow;
import filesapi.core.Log;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.auth.ApiKeys;
import filesapi.core.auth.Authenticator;
import filesapi.core.fakes.InMemoryApiKeyStore;
import filesapi.core.fakes.InMemoryBlobStore;
import filesapi.core.fakes.InMemoryConnectionStore;
import filesapi.core.fakes.InMemoryFileStore;
import filesapi.core.fakes.InMemoryIdempotencyStore;
import filesapi.core.fakes.InMemoryLinkStore;
import filesapi.core.fakes.SettableClock;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import filesapi.core.files.UploadedFile;
import filesapi.core.idempotency.Idempotency;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkService;
import filesapi.core.links.LinkStore;
import filesapi.core.links.LinkTarget;
import filesapi.lambda.links.CreateFileLinkHandler;
import filesapi.lambda.wire.Renderer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The request pipeline ({@link ApiHandler}) around a real handler, {@code POST /v1/file_links}, wired over the
 * in-memory stores: authenticate, claim the Idempotency-Key, validate, execute, then keep the response or release.
 */
class PipelineTest {
    private static final String KEY = "sk_test_pipeline0000000000000001";
    private static final String PUBLISHABLE = "pk_test_pipeline0000000000000001";
    private static final String ACCOUNT = "acct_pipeline";
    private static final Tenant TENANT = new Tenant(ACCOUNT, false);
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final SettableClock clock = SettableClock.at(1_700_000_000L);
    private final InMemoryIdempotencyStore idempotencyStore = new InMemoryIdempotencyStore();
    private final InMemoryFileStore fileStore = new InMemoryFileStore();
    private final InMemoryLinkStore linkStore = new InMemoryLinkStore(fileStore);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final FileService files = new FileService(fileStore, blobs, clock);
    private final Pipeline pipeline;
    /** What the link store does on insert before storing; a test may make it fail or send another request. */
    private Consumer<LinkRecord> onInsert = link -> {};
    private final CreateFileLinkHandler handler;
    private final FileRecord file;

    @BeforeAll
    static void quiet() {
        Log.quiet(true);
    }

    PipelineTest() {
        InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
        InMemoryConnectionStore connections = new InMemoryConnectionStore();
        ApiKeys provisioning = new ApiKeys(keys, connections, clock);
        provisioning.register(KEY, ACCOUNT, null);
        provisioning.register(PUBLISHABLE, ACCOUNT, null);
        pipeline = new Pipeline(new Authenticator(keys, connections), new Idempotency(idempotencyStore, clock), "");
        LinkStore hooked = new LinkStore() {
            @Override
            public void insert(LinkRecord link, FileRecord of) {
                onInsert.accept(link);
                linkStore.insert(link, of);
            }

            @Override
            public void insertWithFile(LinkRecord link, FileRecord file) {
                onInsert.accept(link);
                linkStore.insertWithFile(link, file);
            }

            @Override
            public Optional<LinkRecord> find(Tenant tenant, String id) {
                return linkStore.find(tenant, id);
            }

            @Override
            public Optional<LinkTarget> findByToken(String token) {
                return linkStore.findByToken(token);
            }

            @Override
            public boolean replace(LinkRecord updated) {
                return linkStore.replace(updated);
            }

            @Override
            public Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, long now, ListWindow w) {
                return linkStore.list(tenant, fileId, expired, now, w);
            }
        };
        LinkService links = new LinkService(hooked, files, blobs, clock, Duration.ofSeconds(300));
        handler = new CreateFileLinkHandler(pipeline, links, new Renderer(files, links, clock));
        file = files.store(new Caller(TENANT, Caller.KeyKind.SECRET, false),
                files.validate("dispute_evidence", new UploadedFile("e.pdf", null, Bytes.of(PDF))), "req_setup");
    }

    private APIGatewayV2HTTPResponse post(String apiKey, String idempotencyKey, String form) {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Bearer " + apiKey);
        headers.put("content-type", "application/x-www-form-urlencoded");
        headers.put("host", "api.test");
        if (idempotencyKey != null) {
            headers.put("idempotency-key", idempotencyKey);
        }
        return handler.handleRequest(APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /v1/file_links")
                .withRawPath("/v1/file_links")
                .withRawQueryString("")
                .withHeaders(headers)
                .withBody(form)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("api.test")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/v1/file_links").build())
                        .build())
                .build(), null);
    }

    private APIGatewayV2HTTPResponse post(String idempotencyKey, String form) {
        return post(KEY, idempotencyKey, form);
    }

    private static boolean replayed(APIGatewayV2HTTPResponse r) {
        return "true".equals(r.getHeaders().get("Idempotent-Replayed"));
    }

    private static void assertError(APIGatewayV2HTTPResponse r, int status, String type, String code) {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertTrue(r.getBody().contains("\"type\": \"" + type + "\""), r.getBody());
        if (code != null) {
            assertTrue(r.getBody().contains("\"code\": \"" + code + "\""), r.getBody());
        }
    }

    private InMemoryIdempotencyStore.State state(String key) {
        InMemoryIdempotencyStore.Entry entry = idempotencyStore.entry(TENANT, key);
        return entry == null ? null : entry.state();
    }

    @Test
    void aRequestWithAKeyRunsOnceAndItsRetryIsReplayed() {
        APIGatewayV2HTTPResponse first = post("k1", "file=" + file.id() + "&metadata[a]=b&metadata[c]=d");
        assertEquals(200, first.getStatusCode(), first.getBody());
        assertEquals("k1", first.getHeaders().get("Idempotency-Key"));
        assertFalse(replayed(first));
        APIGatewayV2HTTPResponse retry = post("k1", "metadata%5Bc%5D=d&file=" + file.id() + "&metadata[a]=b");
        assertEquals(200, retry.getStatusCode(), "parameters in another order, encoded again, are the same");
        assertTrue(replayed(retry));
        assertEquals(first.getBody(), retry.getBody());
        assertEquals(first.getHeaders().get("Request-Id"), retry.getHeaders().get("Original-Request"));
        assertEquals("application/json", retry.getHeaders().get("Content-Type"));
        assertEquals(1, linkStore.all().size());
    }

    @Test
    void withoutAKeyEveryRequestExecutes() {
        assertEquals(200, post(null, "file=" + file.id()).getStatusCode());
        assertEquals(200, post(null, "file=" + file.id()).getStatusCode());
        assertEquals(2, linkStore.all().size());
    }

    @Test
    void aValidationErrorReleasesTheKeyForACorrectedRetry() {
        APIGatewayV2HTTPResponse missing = post("k1", "expires_at=1");
        assertError(missing, 400, "invalid_request_error", null);
        assertEquals(InMemoryIdempotencyStore.State.RELEASED, state("k1"));
        assertError(post("k1", "file=" + file.id() + "&bogus=1"), 400, "invalid_request_error", "parameter_unknown");
        assertEquals(InMemoryIdempotencyStore.State.RELEASED, state("k1"));
        APIGatewayV2HTTPResponse corrected = post("k1", "file=" + file.id());
        assertEquals(200, corrected.getStatusCode(), corrected.getBody());
        assertFalse(replayed(corrected), "it executed");
        assertEquals(InMemoryIdempotencyStore.State.DONE, state("k1"));
    }

    @Test
    void anErrorFromExecutingIsKeptAndReplayed() {
        String id = "file_notyetthere";
        APIGatewayV2HTTPResponse missing = post("k1", "file=" + id);
        assertError(missing, 400, "invalid_request_error", "resource_missing");
        assertEquals(InMemoryIdempotencyStore.State.DONE, state("k1"));
        fileStore.insert(new FileRecord(id, TENANT, Purpose.DISPUTE_EVIDENCE, FileType.PDF, "application/pdf", 1,
                "late.pdf", null, clock.epochSecond(), null, "keep/late", false));
        APIGatewayV2HTTPResponse retry = post("k1", "file=" + id);
        assertTrue(replayed(retry));
        assertEquals(missing.getBody(), retry.getBody(), "the first answer stands");
        assertEquals(200, post("k2", "file=" + id).getStatusCode(), "a new key runs anew");
    }

    @Test
    void anUnexpectedFailureIsA500InStripesShapeAndIsKept() {
        onInsert = link -> {
            throw new IllegalStateException("secret internals");
        };
        APIGatewayV2HTTPResponse failed = post("k1", "file=" + file.id());
        assertError(failed, 500, "api_error", null);
        String requestId = failed.getHeaders().get("Request-Id");
        assertTrue(failed.getBody().contains("(request id " + requestId + ")"), failed.getBody());
        assertFalse(failed.getBody().contains("secret internals"), "nothing of the exception leaks");
        assertEquals("application/json", failed.getHeaders().get("Content-Type"));
        onInsert = link -> {};
        APIGatewayV2HTTPResponse retry = post("k1", "file=" + file.id());
        assertTrue(replayed(retry), "Stripe replays a 500 too");
        assertEquals(failed.getBody(), retry.getBody());
        onInsert = link -> {
            throw new IllegalStateException("again");
        };
        assertError(post(null, "file=" + file.id()), 500, "api_error", null);
    }

    @Test
    void aThrottledExecutionIsNotKept() {
        onInsert = link -> {
            throw TransactionCanceledException.builder().message("throttled")
                    .cancellationReasons(CancellationReason.builder().code("ThrottlingError").build()).build();
        };
        assertError(post("k1", "file=" + file.id()), 429, "invalid_request_error", "rate_limit");
        assertEquals(InMemoryIdempotencyStore.State.RELEASED, state("k1"));
        onInsert = link -> {};
        APIGatewayV2HTTPResponse retry = post("k1", "file=" + file.id());
        assertEquals(200, retry.getStatusCode());
        assertFalse(replayed(retry));
    }

    @Test
    void theKeyIsClaimedBeforeValidationAndHeldWhileExecuting() {
        Map<String, APIGatewayV2HTTPResponse> during = new HashMap<>();
        onInsert = link -> {
            onInsert = l -> {};
            during.put("same", post("k1", "file=" + file.id()));
            during.put("invalid", post("k1", "expires_at=1"));
        };
        APIGatewayV2HTTPResponse first = post("k1", "file=" + file.id());
        assertEquals(200, first.getStatusCode());
        assertError(during.get("same"), 409, "idempotency_error", "idempotency_key_in_use");
        assertError(during.get("invalid"), 400, "idempotency_error", null);
        assertTrue(during.get("invalid").getBody().contains("same parameters"), "the claim refused it, not validation");
        assertTrue(replayed(post("k1", "file=" + file.id())), "the refusals did not free the key");
        assertEquals(1, linkStore.all().size());
    }

    @Test
    void aKeyUsedWithOtherParametersIsRefused() {
        assertEquals(200, post("k1", "file=" + file.id()).getStatusCode());
        APIGatewayV2HTTPResponse other = post("k1", "file=" + file.id() + "&metadata[a]=b");
        assertError(other, 400, "idempotency_error", null);
        assertEquals("k1", other.getHeaders().get("Idempotency-Key"));
        assertEquals(1, linkStore.all().size());
    }

    @Test
    void requestsThatFailAuthenticationClaimNothing() {
        assertError(post("sk_test_unknown0000000000000000001", "k1", "file=" + file.id()), 401,
                "invalid_request_error", null);
        assertError(post(PUBLISHABLE, "k1", "file=" + file.id()), 403, "invalid_request_error", null);
        assertNull(state("k1"));
        assertEquals(List.of(), linkStore.all());
    }
}
