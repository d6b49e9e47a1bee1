package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.fakes.SettableClock;
import filesapi.lambda.AwsClients;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Failures of DynamoDB and S3 in the middle of requests: Stripe-shaped answers, and nothing half-written. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {
    private static final AtomicInteger RUN = new AtomicInteger();
    private EmbeddedBackends backends;
    private final Faults faults = new Faults();
    private Backend faulty;
    private TestApi api;

    @BeforeAll
    void start() throws Exception {
        backends = EmbeddedBackends.start(TestApi.template(), "faults", "faults", null);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedBackends.ACCESS_KEY, EmbeddedBackends.SECRET_KEY));
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(backends.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.addExecutionInterceptor(faults))
                .build();
        AwsClients clients = new AwsClients(faults.wrap(backends.clients().dynamo()), s3);
        faulty = new Backend() {
            public AwsClients clients() { return clients; }
            public String table() { return "faults"; }
            public String bucket() { return "faults"; }
            public void close() { s3.close(); }
        };
    }

    @AfterAll
    void stop() {
        faulty.close();
        backends.close();
    }

    @BeforeEach
    void fresh() {
        faults.clear();
        api = new TestApi(faulty, SettableClock.startingNow(), "_faults" + RUN.incrementAndGet());
    }

    private int objects() {
        return backends.clients().s3().listObjectsV2(b -> b.bucket("faults")).keyCount();
    }

    private int files() {
        return api.get(KEY_A, "/v1/files?limit=100").json().path("data").size();
    }

    private TestApi.Response createLinkWithKey(String fileId, String idempotencyKey) {
        return api.call("POST", "/v1/file_links", KEY_A, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Idempotency-Key", idempotencyKey), ("file=" + fileId).getBytes());
    }

    private TestApi.Response upload() {
        return api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                .file("e.pdf", "application/pdf", Samples.pdf(4000)));
    }

    @Test
    void aFailedContentsWriteIsAnApiErrorAndStoresNoMetadata() {
        int before = objects();
        faults.inject("PutObject", Faults.Kind.FAIL, 10);
        TestApi.Response r = upload();
        assertEquals(500, r.status(), r.text());
        assertEquals("api_error", r.error().path("type").asText());
        assertTrue(r.error().path("message").asText().contains(r.header("Request-Id")));
        faults.clear();
        assertEquals(0, files());
        assertEquals(before, objects());
    }

    @Test
    void aFailedMetadataWriteRemovesTheContentsAgain() {
        int before = objects();
        faults.inject("transactWriteItems", Faults.Kind.FAIL, 1);
        TestApi.Response r = upload();
        assertEquals(500, r.status(), r.text());
        assertEquals(before, objects(), "the object written before the failed metadata write is gone");
        assertEquals(0, files());
    }

    @Test
    void s3ThrottlingIsRetriedBySdkAndSucceeds() {
        faults.inject("PutObject", Faults.Kind.THROTTLE, 1);
        TestApi.Response r = upload();
        assertEquals(200, r.status(), r.text());
        assertEquals(1, faults.injected());
        assertEquals(1, files());
    }

    @Test
    void persistentDynamoDbThrottlingIsStripesRateLimitError() {
        faults.inject("query", Faults.Kind.THROTTLE, 1);
        TestApi.Response r = api.get(KEY_A, "/v1/files");
        assertEquals(429, r.status(), r.text());
        assertEquals("rate_limit", r.error().path("code").asText());
        assertEquals(200, api.get(KEY_A, "/v1/files").status(), "and the next request goes through");
    }

    @Test
    void aTransactionConflictThatOutlastsTheRetriesIsStripesLockTimeout() {
        String fileId = upload().json().path("id").asText();
        String linkId = api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).json().path("id").asText();
        faults.inject("transactWriteItems", Faults.Kind.CONFLICT, 1000);
        TestApi.Response r = api.postForm(KEY_A, "/v1/file_links/" + linkId, "metadata[k]=v");
        assertEquals(429, r.status(), r.text());
        assertEquals("lock_timeout", r.error().path("code").asText());
        faults.clear();
        faults.inject("transactWriteItems", Faults.Kind.CONFLICT, 3);
        assertEquals(200, api.postForm(KEY_A, "/v1/file_links/" + linkId, "metadata[k]=v").status(),
                "a conflict that clears within the retries is survived");
    }

    @Test
    void aTransactionCancelledForThrottlingIsStripesRateLimitErrorAndLeavesNothing() {
        int before = objects();
        faults.inject("transactWriteItems", Faults.Kind.CANCEL_THROTTLED, 1);
        TestApi.Response r = upload();
        assertEquals(429, r.status(), r.text());
        assertEquals("rate_limit", r.error().path("code").asText());
        assertEquals(before, objects(), "the contents written first are removed again");
        assertEquals(0, files());
    }

    @Test
    void aFailedLinkWriteLeavesNoLinkAndNoToken() {
        String fileId = upload().json().path("id").asText();
        faults.inject("transactWriteItems", Faults.Kind.FAIL, 1);
        TestApi.Response r = api.postForm(KEY_A, "/v1/file_links", "file=" + fileId);
        assertEquals(500, r.status());
        assertEquals(0, api.get(KEY_A, "/v1/file_links").json().path("data").size());
        assertEquals(200, api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).status());
    }

    @Test
    void aFailureAfterExecutionBeganIsKeptForTheKeyAsStripeDoes() {
        // The claim is written, then the endpoint fails in its first DynamoDB read (the file lookup). The key is
        // not left in flight: the 500 is stored and replayed. (A request that dies outright is covered by the
        // lease take-over in ConventionsScenarios.)
        String fileId = upload().json().path("id").asText();
        String key = "crash-key";
        faults.inject("getItem", Faults.Kind.FAIL, 1);
        TestApi.Response crashed = createLinkWithKey(fileId, key);
        assertEquals(500, crashed.status());
        TestApi.Response retried = createLinkWithKey(fileId, key);
        assertEquals(500, retried.status(), retried.text());
        assertEquals("true", retried.header("Idempotent-Replayed"));
        assertEquals(200, createLinkWithKey(fileId, "fresh-key").status());
    }

    @Test
    void aThrottledRequestIsNotKeptForItsKeySoTheRetryRuns() {
        String fileId = upload().json().path("id").asText();
        String key = "throttled-key";
        faults.inject("transactWriteItems", Faults.Kind.THROTTLE, 1);
        TestApi.Response throttled = createLinkWithKey(fileId, key);
        assertEquals(429, throttled.status(), throttled.text());
        TestApi.Response retried = createLinkWithKey(fileId, key);
        assertEquals(200, retried.status(), retried.text());
        assertEquals(null, retried.header("Idempotent-Replayed"));
        assertEquals(1, api.get(KEY_A, "/v1/file_links").json().path("data").size());
    }

    @Test
    void aResponseThatCannotBeKeptStillAnswersAndFreesTheKey() {
        String fileId = upload().json().path("id").asText();
        String key = "unkept-key";
        faults.inject("updateItem", Faults.Kind.FAIL, 1);
        TestApi.Response first = createLinkWithKey(fileId, key);
        assertEquals(200, first.status(), "the link was made, so the caller hears so: " + first.text());
        assertEquals(1, faults.injected(), "the write that keeps the response failed");
        TestApi.Response retried = createLinkWithKey(fileId, key);
        assertEquals(200, retried.status(), "not a 409: the key was freed, not left in flight");
        assertEquals(null, retried.header("Idempotent-Replayed"));
    }
}
