package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_B;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.Tenant;
import filesapi.core.fakes.SettableClock;
import filesapi.core.idempotency.IdempotencyStore;
import filesapi.dynamodb.DynamoIdempotencyStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Stripe's cross-cutting conventions: idempotent requests, metadata rules, expand, versions, connected accounts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConventionsScenarios {
    private static final AtomicInteger RUN = new AtomicInteger();

    protected Backend backend;
    protected SettableClock clock;
    protected TestApi api;
    private String suffix;

    protected abstract Backend startBackend() throws Exception;

    @BeforeAll
    void startAll() throws Exception {
        backend = startBackend();
    }

    @AfterAll
    void stopAll() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void freshAccounts() {
        clock = SettableClock.startingNow();
        suffix = "_conv" + RUN.incrementAndGet();
        api = new TestApi(backend, clock, suffix);
    }

    private TestApi.MultipartBody pdfUpload(byte[] pdf) {
        return multipart().field("purpose", "dispute_evidence").file("e.pdf", "application/pdf", pdf);
    }

    private TestApi.Response uploadWithKey(String idempotencyKey, TestApi.MultipartBody body) {
        return api.call("POST", "/v1/files", KEY_A, Map.of("Content-Type", body.contentType(),
                "Idempotency-Key", idempotencyKey), body.bytes());
    }

    private TestApi.Response postWithKey(String path, String form, String idempotencyKey) {
        return api.call("POST", path, KEY_A, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Idempotency-Key", idempotencyKey), form.getBytes());
    }

    private int fileCount(String key) {
        return api.get(key, "/v1/files?limit=100").json().path("data").size();
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyCreateExactlyOneFile() throws Exception {
        Backend.assume(backend, Backend.Capability.ATOMIC_WRITES_UNDER_THREADS);
        byte[] pdf = Samples.pdf(30_000);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<TestApi.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // Each retry re-encodes the body with a new boundary, as clients do; the parameters are the same.
                calls.add(() -> uploadWithKey("concurrent-key", pdfUpload(pdf)));
            }
            Set<String> ids = new HashSet<>();
            int inFlight = 0;
            for (Future<TestApi.Response> f : pool.invokeAll(calls)) {
                TestApi.Response r = f.get();
                if (r.status() == 409) {
                    assertEquals("idempotency_key_in_use", r.error().path("code").asText());
                    inFlight++;
                } else {
                    assertEquals(200, r.status(), r.text());
                    ids.add(r.json().path("id").asText());
                }
            }
            assertEquals(1, ids.size(), "every success is the same file");
            assertEquals(1, fileCount(KEY_A), "exactly one file was created (" + inFlight + " saw it in flight)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplayIsByteIdenticalAndCreatesNothing() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        TestApi.Response first = postWithKey("/v1/file_links", "file=" + fileId + "&metadata[a]=1", "link-key");
        TestApi.Response again = postWithKey("/v1/file_links", "metadata[a]=1&file=" + fileId, "link-key");
        assertEquals(200, first.status());
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals("link-key", first.header("Idempotency-Key"));
        assertEquals(200, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.header("Request-Id"), again.header("Original-Request"));
        assertArrayEquals(first.body(), again.body());
        assertEquals(1, api.get(KEY_A, "/v1/file_links").json().path("data").size());

        TestApi.Response upload = uploadWithKey("upload-key", pdfUpload(Samples.pdf(2000)));
        TestApi.Response uploadAgain = uploadWithKey("upload-key", pdfUpload(Samples.pdf(2000)));
        assertArrayEquals(upload.body(), uploadAgain.body());
        assertEquals(2, fileCount(KEY_A));
    }

    @Test
    void otherParametersOrAnotherEndpointWithTheSameKeyAreRefused() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        assertEquals(200, postWithKey("/v1/file_links", "file=" + fileId, "k1").status());
        TestApi.Response other = postWithKey("/v1/file_links", "file=" + fileId + "&metadata[x]=y", "k1");
        assertEquals(400, other.status());
        assertEquals("idempotency_error", other.error().path("type").asText());
        assertTrue(other.error().path("message").asText().contains("'k1'"));
        TestApi.Response otherEndpoint = uploadWithKey("k1", pdfUpload(Samples.pdf(1000)));
        assertEquals(400, otherEndpoint.status());
        assertEquals("idempotency_error", otherEndpoint.error().path("type").asText());
        assertEquals(200, uploadWithKey("k2", pdfUpload(Samples.pdf(1000))).status());
        TestApi.Response otherContent = uploadWithKey("k2", pdfUpload(Samples.pdf(1001)));
        assertEquals(400, otherContent.status(), "the file's contents are part of the parameters");
        // The same name and length, one byte else: the claim's provisional digest matches, the kept full one not.
        byte[] sameLength = Samples.pdf(1000);
        sameLength[500] = 'x';
        TestApi.Response sameLengthOtherContent = uploadWithKey("k2", pdfUpload(sameLength));
        assertEquals(400, sameLengthOtherContent.status(), "a retry with another file never replays this one");
        assertEquals("idempotency_error", sameLengthOtherContent.error().path("type").asText());
        assertEquals(200, uploadWithKey("k2", pdfUpload(Samples.pdf(1000))).status(), "the same file replays");
        assertEquals(2, fileCount(KEY_A));
    }

    @Test
    void validationFailuresSaveNothingButExecutedErrorsAreReplayed() {
        TestApi.Response invalid = postWithKey("/v1/file_links", "file=file_x&colour=red", "k3");
        assertEquals("parameter_unknown", invalid.error().path("code").asText());
        TestApi.Response missing = postWithKey("/v1/file_links", "file=file_doesnotexist000000000000", "k3");
        assertEquals(400, missing.status());
        assertEquals("resource_missing", missing.error().path("code").asText());
        assertNull(missing.header("Idempotent-Replayed"), "the invalid request saved nothing");
        TestApi.Response replayed = postWithKey("/v1/file_links", "file=file_doesnotexist000000000000", "k3");
        assertEquals("true", replayed.header("Idempotent-Replayed"), "an error after execution began is kept");
        assertArrayEquals(missing.body(), replayed.body());

        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        for (int attempt = 0; attempt < 2; attempt++) {
            TestApi.Response past = postWithKey("/v1/file_links", "file=" + fileId + "&expires_at=1", "k5");
            assertEquals("expires_at", past.error().path("param").asText());
            assertNull(past.header("Idempotent-Replayed"), "a parameter that fails validation keeps nothing");
        }
        String linkPath = "/v1/file_links/" + api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).json()
                .path("id").asText();
        for (int attempt = 0; attempt < 2; attempt++) {
            TestApi.Response past = postWithKey(linkPath, "expires_at=1", "k6");
            assertEquals("expires_at", past.error().path("param").asText());
            assertNull(past.header("Idempotent-Replayed"));
        }
        assertEquals(200, postWithKey(linkPath, "expires_at=now", "k6").status(), "and the key is still free");

        TestApi.Response longKey = postWithKey("/v1/file_links", "file=file_x", "k".repeat(256));
        assertEquals(400, longKey.status());
        assertEquals("invalid_request_error", longKey.error().path("type").asText());
        assertEquals(400, postWithKey("/v1/file_links", "file=file_x", "k".repeat(255)).status());
    }

    @Test
    void aKeyHeldInFlightIsRefusedUntilItsLeaseRunsOut() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        IdempotencyStore store = new DynamoIdempotencyStore(backend.clients().dynamo(), backend.table());
        Tenant tenant = new Tenant("acct_A" + suffix, false);
        String form = "file=" + fileId;
        // A request that crashed mid-way: it claimed the key (same parameters) and never finished.
        TestApi.Response probe = postWithKey("/v1/file_links", form, "probe");
        assertEquals(200, probe.status());
        String digest = digestOfProbe(store, tenant, "probe");
        store.claim(tenant, "crashed", "POST /v1/file_links", digest, clock.epochSecond(), 60, 86400);
        TestApi.Response held = postWithKey("/v1/file_links", form, "crashed");
        assertEquals(409, held.status());
        assertEquals("idempotency_key_in_use", held.error().path("code").asText());
        clock.advance(java.time.Duration.ofSeconds(61));
        TestApi.Response takenOver = postWithKey("/v1/file_links", form, "crashed");
        assertEquals(200, takenOver.status(), "a claim past its lease is taken over: " + takenOver.text());
    }

    /** The stored digest of a finished request, read back through the store's own claim answer. */
    private String digestOfProbe(IdempotencyStore store, Tenant tenant, String key) {
        IdempotencyStore.Claim claim = store.claim(tenant, key, "x", "x", clock.epochSecond(), 60, 86400);
        return ((IdempotencyStore.Held) claim).digest();
    }

    @Test
    void metadataLimitsAreStripes() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        StringBuilder fifty = new StringBuilder("file=" + fileId);
        for (int i = 0; i < 50; i++) {
            fifty.append("&metadata[key").append(i).append("]=v");
        }
        JsonNode link = api.postForm(KEY_A, "/v1/file_links", fifty.toString()).json();
        assertEquals(50, link.path("metadata").size());
        String path = "/v1/file_links/" + link.path("id").asText();
        TestApi.Response fiftyOne = api.postForm(KEY_A, path, "metadata[one_more]=v");
        assertEquals(400, fiftyOne.status());
        assertEquals("metadata", fiftyOne.error().path("param").asText());
        assertTrue(fiftyOne.error().path("message").asText().startsWith("Metadata can have up to 50 keys"));
        assertEquals(200, api.postForm(KEY_A, path, "metadata[key0]=&metadata[one_more]=v").status(),
                "removing one key makes room for another");
        String k40 = "k".repeat(40);
        assertEquals(200, api.postForm(KEY_A, path, "metadata[key1]=&metadata[" + k40 + "]=" + "v".repeat(500))
                .status());
        assertEquals("metadata", api.postForm(KEY_A, path, "metadata[" + k40 + "k]=v").error()
                .path("param").asText());
        assertEquals("metadata", api.postForm(KEY_A, path, "metadata[key2]=" + "v".repeat(501)).error()
                .path("param").asText());
        StringBuilder swap = new StringBuilder();
        for (int i = 2; i < 30; i++) {
            swap.append("&metadata[key").append(i).append("]=&metadata[new").append(i).append("]=v");
        }
        assertEquals(200, api.postForm(KEY_A, path, swap.substring(1)).status(),
                "removals do not count toward the 50 keys an update may set");
        assertEquals(400, api.postForm(KEY_A, path, "metadata=notempty").status());
        assertEquals(0, api.postForm(KEY_A, path, "metadata=").json().path("metadata").size());
    }

    @Test
    void expandAcceptsOnlyStripesPaths() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        String linkId = api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).json().path("id").asText();
        assertEquals("file", api.get(KEY_A, "/v1/file_links/" + linkId + "?expand[]=file").json().path("file")
                .path("object").asText());
        assertEquals("file", api.get(KEY_A, "/v1/file_links?expand[0]=data.file").json().path("data").get(0)
                .path("file").path("object").asText());
        JsonNode deep = api.get(KEY_A, "/v1/files/" + fileId + "?expand[]=links.data.file").json();
        assertEquals(fileId, deep.path("links").path("data").get(0).path("file").path("id").asText());
        record Case(String path, String message) {}
        for (Case c : List.of(
                new Case("/v1/file_links/" + linkId + "?expand[]=owner", "This property cannot be expanded (owner)."),
                new Case("/v1/file_links/" + linkId + "?expand[]=file.links.data.file.owner",
                        "You cannot expand more than 4 levels of a property."),
                new Case("/v1/file_links?expand[]=file", "This property cannot be expanded (file). You may want to"
                        + " try expanding 'data.file' instead."),
                new Case("/v1/files/" + fileId + "?expand[]=links.data.owner",
                        "This property cannot be expanded (owner)."),
                new Case("/v1/file_links?expand[1]=data.file", null))) {
            TestApi.Response r = api.get(KEY_A, c.path);
            assertEquals(400, r.status(), c.path);
            assertEquals("expand", r.error().path("param").asText(), c.path);
            if (c.message != null) {
                assertEquals(c.message, r.error().path("message").asText(), c.path);
            }
        }
    }

    @Test
    void stripeVersionIsAcceptedEchoedOrRefused() {
        // Versions released after ours (stripe-node 23.1.0 pins 2026-10-28.endive) are served, never refused.
        for (String v : List.of("2026-01-28.clover", "2026-07-29.dahlia", "2026-09-30.endive", "2023-10-16",
                "2026-10-28.endive", "2027-01-01.zinnia")) {
            TestApi.Response r = api.call("GET", "/v1/files", KEY_A, Map.of("Stripe-Version", v), null);
            assertEquals(200, r.status(), v);
            assertEquals(v, r.header("Stripe-Version"));
        }
        TestApi.Response beta = api.call("GET", "/v1/files", KEY_A,
                Map.of("Stripe-Version", "2026-10-28.endive; files_beta=v1"), null);
        assertEquals(200, beta.status(), beta.text());
        assertEquals("2026-10-28.endive", beta.header("Stripe-Version"));
        assertEquals("2026-09-30.endive", api.get(KEY_A, "/v1/files").header("Stripe-Version"));
        for (String v : List.of("banana", "2026-02-30.clover", "2026-07-29.clover", "2010-12-31",
                "2026-10-28.endive; not a flag")) {
            TestApi.Response r = api.call("GET", "/v1/files", KEY_A, Map.of("Stripe-Version", v), null);
            assertEquals(400, r.status(), v);
            assertTrue(r.error().path("message").asText().startsWith("Invalid Stripe API version: " + v), v);
        }
    }

    @Test
    void aPlatformActsOnConnectedAccountsOnly() {
        api.services().connections().connect("acct_A" + suffix, "acct_B" + suffix, clock.epochSecond());
        Map<String, String> asB = Map.of("Stripe-Account", "acct_B" + suffix);
        TestApi.MultipartBody body = pdfUpload(Samples.pdf(1000));
        TestApi.Response created = api.call("POST", "/v1/files", KEY_A, Map.of("Content-Type", body.contentType(),
                "Stripe-Account", "acct_B" + suffix), body.bytes());
        assertEquals(200, created.status(), created.text());
        String id = created.json().path("id").asText();
        assertEquals(200, api.get(KEY_B, "/v1/files/" + id).status(), "the file lives in the connected account");
        assertEquals(0, fileCount(KEY_A), "and not in the platform's");
        assertEquals(200, api.call("GET", "/v1/files/" + id, KEY_A, asB, null).status());
        assertEquals(1, api.call("GET", "/v1/files", KEY_A, asB, null).json().path("data").size());
        assertEquals(200, api.call("POST", "/v1/file_links", KEY_A, Map.of("Stripe-Account", "acct_B" + suffix,
                "Content-Type", "application/x-www-form-urlencoded"), ("file=" + id).getBytes()).status());

        for (String account : List.of("acct_Nobody" + suffix, "acct_A" + suffix + "x", "not_an_account")) {
            TestApi.Response refused = api.call("GET", "/v1/files", KEY_B, Map.of("Stripe-Account", account), null);
            assertEquals(403, refused.status(), account);
            assertEquals("account_invalid", refused.error().path("code").asText());
        }
        TestApi.Response reverse = api.call("GET", "/v1/files", KEY_B, Map.of("Stripe-Account", "acct_A" + suffix),
                null);
        assertEquals(403, reverse.status(), "a connected account cannot act on its platform");
    }

    @Test
    void identityDocumentsAreDownloadableOnlyWhenAPlatformUploadedThem() {
        api.services().connections().connect("acct_A" + suffix, "acct_B" + suffix, clock.epochSecond());
        byte[] pdf = Samples.pdf(1200);
        TestApi.MultipartBody body = TestApi.multipart().field("purpose", "identity_document")
                .file("passport.pdf", "application/pdf", pdf);
        JsonNode byPlatform = api.call("POST", "/v1/files", KEY_A, Map.of("Content-Type", body.contentType(),
                "Stripe-Account", "acct_B" + suffix), body.bytes()).json();
        String url = byPlatform.path("url").asText();
        assertTrue(url.endsWith("/v1/files/" + byPlatform.path("id").asText() + "/contents"), byPlatform.toString());
        TestApi.Response download = api.call("GET", url.substring(url.indexOf("/v1/")), KEY_A,
                Map.of("Stripe-Account", "acct_B" + suffix), null);
        assertEquals(200, download.status(), download.text());
        assertArrayEquals(pdf, download.body());
        assertFalse(api.get(KEY_B, "/v1/files/" + byPlatform.path("id").asText()).json().path("url").isNull(),
                "the file says the same to the connected account");

        JsonNode byAccount = api.upload(KEY_B, TestApi.multipart().field("purpose", "identity_document")
                .file("passport.pdf", "application/pdf", pdf)).json();
        assertTrue(byAccount.path("url").isNull(), byAccount.toString());
        TestApi.Response refused = api.get(KEY_B, "/v1/files/" + byAccount.path("id").asText() + "/contents");
        assertEquals(404, refused.status());
        assertEquals("resource_missing", refused.error().path("code").asText());
    }

    @Test
    void restrictedKeysDoWhatTheirFilesPermissionAllows() {
        String fileId = api.upload(KEY_A, pdfUpload(Samples.pdf(1000))).json().path("id").asText();
        String form = "file=" + fileId;

        assertEquals(200, api.get(TestApi.KEY_A_FILES_READ, "/v1/files/" + fileId).status());
        assertEquals(200, api.get(TestApi.KEY_A_FILES_READ, "/v1/files/" + fileId + "/contents").status());
        TestApi.Response readOnly = api.postForm(TestApi.KEY_A_FILES_READ, "/v1/file_links", form);
        assertEquals(403, readOnly.status(), readOnly.text());
        assertEquals("invalid_request_error", readOnly.error().path("type").asText());
        assertTrue(readOnly.error().path("message").asText().contains("'rak_file_write' permission"),
                readOnly.text());
        assertFalse(readOnly.text().contains(TestApi.KEY_A_FILES_READ), "the key is masked");
        assertEquals(403, api.upload(TestApi.KEY_A_FILES_READ, pdfUpload(Samples.pdf(500))).status());

        assertEquals(200, api.postForm(TestApi.KEY_A_FILES_WRITE, "/v1/file_links", form).status());
        assertEquals(200, api.upload(TestApi.KEY_A_FILES_WRITE, pdfUpload(Samples.pdf(500))).status());
        assertEquals(200, api.get(TestApi.KEY_A_FILES_WRITE, "/v1/file_links?file=" + fileId).status());

        for (String path : List.of("/v1/files", "/v1/files/" + fileId, "/v1/file_links")) {
            TestApi.Response none = api.get(TestApi.KEY_A_FILES_NONE, path);
            assertEquals(403, none.status(), path);
            assertTrue(none.error().path("message").asText().contains("'rak_file_read' permission"));
        }
    }
}
